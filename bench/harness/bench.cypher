// The benchmark harness's own reads (not the service's): content fingerprints, warm-up,
// and the parameters of each operation. Every value is a parameter.

// name: graph_counts
CALL db.stats.retrieve('GRAPH COUNTS') YIELD data
RETURN data

// name: warm_nodes
// Every property of every node (the whole property chain, long strings and arrays included).
MATCH (n) RETURN count(properties(n)) AS nodes

// name: warm_relationships
MATCH ()-[r]->() RETURN count(properties(r)) AS relationships

// name: range_indexes
// The single-property range indexes on nodes, for the warm-up's index scans (each scan's
// query names the label and property: they cannot be parameters, database.py quotes them).
SHOW RANGE INDEXES YIELD entityType, labelsOrTypes, properties, state
WHERE entityType = 'NODE' AND size(labelsOrTypes) = 1 AND size(properties) = 1
  AND state = 'ONLINE'
RETURN labelsOrTypes[0] AS label, properties[0] AS property

// name: party_ids
MATCH (n:Party) RETURN n.id AS id ORDER BY id

// name: organization_ids
MATCH (n:Organization) RETURN n.id AS id ORDER BY id

// name: person_names
UNWIND $ids AS id
MATCH (n:Person {id: id})
RETURN n.id AS id, n.name AS name, n.aliases AS aliases

// name: path_neighbours
// The parties one link away from each of $ids, for relationship-path pairs that have a path.
UNWIND $ids AS id
MATCH (n:Party {id: id})-[:KNOWS|INFLUENCES|FAMILY|REPORTS_TO|WORKS_FOR]-(m:Party)
WITH id, m.id AS other ORDER BY other
RETURN id, collect(other)[..20] AS others

// name: account_people
// People in an account's scope (the account and its subsidiaries), as keyDeciders counts them.
MATCH (o:Organization {id: $id})
MATCH (unit:Organization)-[:PART_OF*0..]->(o)
MATCH (p:Person)-[:WORKS_FOR]->(unit)
RETURN count(DISTINCT p) AS people

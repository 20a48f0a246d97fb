// The benchmark harness's own reads (not the service's): content fingerprints, warm-up,
// and the parameters of each operation. Every value is a parameter.

// name: graph_counts
CALL db.stats.retrieve('GRAPH COUNTS') YIELD data
RETURN data

// name: warm_nodes
MATCH (n) RETURN count(n.id) AS nodes

// name: warm_relationships
MATCH ()-[r]->() RETURN count(r.strength) + count(r.kind) AS relationships

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

// The write API (graph_api/services/writes.py): each mutation runs these in ONE transaction.
// Before a change reads what it will compare and version-check, it locks what it changes
// (SET x._lock = true REMOVE x._lock takes the node's write lock and leaves nothing behind),
// so two writers of one node or link run one after the other and the second sees the first.
// A create MERGEs its id: the unique constraint serialises two creates of one id the same way.
// A node or link that did not exist comes back with version 0 (or no link).

// ----- locks -----

// name: lock
// One lock per acyclic hierarchy (REPORTS_TO, PART_OF): cycle checks of concurrent writers
// must see each other's new links, and two links far apart can close one cycle together.
MERGE (l:WriteLock {name: $name})
SET l._lock = true REMOVE l._lock

// ----- references -----

// name: existing
// Which of the given ids exist, per entity kind, for the viewer: a party outside $visible
// (null: all) and not among the parties this transaction $created, or an opportunity of
// such an account, is answered as absent, as an unknown id is.
WITH $visible IS NULL AS everything, coalesce($visible, []) + $created AS seen
RETURN [id IN $Party WHERE EXISTS { MATCH (:Party {id: id}) }
        AND (everything OR id IN seen)] AS Party,
       [id IN $Organization WHERE EXISTS { MATCH (:Organization {id: id}) }
        AND (everything OR id IN seen)] AS Organization,
       [id IN $Product WHERE EXISTS { MATCH (:Product {id: id}) }] AS Product,
       [id IN $Rep WHERE EXISTS { MATCH (:Rep {id: id}) }] AS Rep,
       [id IN $AccountTeam WHERE EXISTS { MATCH (:AccountTeam {id: id}) }] AS AccountTeam,
       [id IN $Opportunity WHERE EXISTS { MATCH (o:Opportunity {id: id})
          WHERE everything OR all(a IN [(o)-[:FOR_ACCOUNT]->(x:Party) | x.id] WHERE a IN seen) }]
       AS Opportunity

// name: reporting_path
// An existing chain from the new manager up to the person: the new line would close a cycle.
MATCH p = shortestPath((m:Person {id: $managerId})-[:REPORTS_TO*]->(x:Person {id: $personId}))
RETURN [n IN nodes(p) | n.id] AS ids

// name: parent_path
// An existing chain from the new parent up to the organization: PART_OF would close a cycle.
MATCH p = shortestPath((parent:Organization {id: $parentId})-[:PART_OF*]->(o:Organization {id: $id}))
RETURN [n IN nodes(p) | n.id] AS ids

// ----- parties -----

// name: claim_party
MERGE (n:Party {id: $id})
  ON CREATE SET n.version = 0
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props,
       CASE WHEN n:Person THEN 'PERSON' WHEN n:Organization THEN 'ORGANIZATION' END AS kind,
       [(n)-[:PART_OF]->(p:Organization) | p.id][0] AS parentId

// name: lock_party
MATCH (n:Party {id: $id})
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props,
       CASE WHEN n:Person THEN 'PERSON' WHEN n:Organization THEN 'ORGANIZATION' END AS kind,
       [(n)-[:PART_OF]->(p:Organization) | p.id][0] AS parentId

// name: put_person
MATCH (n:Party {id: $id})
SET n:Person, n += $props, n.version = $version, n.updatedAt = $now,
    n.createdAt = coalesce(n.createdAt, $now)
RETURN properties(n) AS props

// name: put_organization
MATCH (n:Party {id: $id})
SET n:Organization, n += $props, n.version = $version, n.updatedAt = $now,
    n.createdAt = coalesce(n.createdAt, $now)
WITH n
CALL (n) {
  MATCH (n)-[old:PART_OF]->(x)
  WHERE $parentId IS NULL OR x.id <> $parentId
  DELETE old
}
CALL (n) {
  WITH n WHERE $parentId IS NOT NULL
  MATCH (p:Organization {id: $parentId})
  MERGE (n)-[:PART_OF]->(p)
}
RETURN properties(n) AS props

// ----- holdings -----

// name: claim_holding
MERGE (n:Holding {id: $id})
  ON CREATE SET n.version = 0
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props, [(p:Party)-[:HOLDS]->(n) | p.id][0] AS partyId,
       [(n)-[:OF_PRODUCT]->(p:Product) | p.id][0] AS productId

// name: lock_holding
MATCH (n:Holding {id: $id})
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props, [(p:Party)-[:HOLDS]->(n) | p.id][0] AS partyId,
       [(n)-[:OF_PRODUCT]->(p:Product) | p.id][0] AS productId

// name: put_holding
MATCH (n:Holding {id: $id}), (party:Party {id: $partyId}), (prod:Product {id: $productId})
SET n += $props, n.version = $version, n.updatedAt = $now,
    n.createdAt = coalesce(n.createdAt, $now)
MERGE (party)-[:HOLDS]->(n)
MERGE (n)-[:OF_PRODUCT]->(prod)
RETURN n.id AS id

// name: read_holding
MATCH (party:Party)-[:HOLDS]->(n:Holding {id: $id})-[:OF_PRODUCT]->(prod:Product)
RETURN properties(n) AS props,
       {props: properties(party), kind: CASE WHEN party:Person THEN 'PERSON' ELSE 'ORGANIZATION' END} AS holder,
       properties(prod) AS product
LIMIT 1

// ----- interactions -----

// name: claim_interaction
MERGE (n:Interaction {id: $id})
  ON CREATE SET n.version = 0
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props,
       [(n)-[:WITH]->(p:Party) | p.id] AS partyIds,
       [(r:Rep)-[:CONDUCTED]->(n) | r.id] AS repIds,
       [(n)-[:ABOUT]->(o:Opportunity) | o.id][0] AS opportunityId

// name: lock_interaction
MATCH (n:Interaction {id: $id})
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props,
       [(n)-[:WITH]->(p:Party) | p.id] AS partyIds,
       [(r:Rep)-[:CONDUCTED]->(n) | r.id] AS repIds,
       [(n)-[:ABOUT]->(o:Opportunity) | o.id][0] AS opportunityId

// name: put_interaction
// $partyIds, $repIds and $opportunityId are the whole new state of the interaction's links.
MATCH (n:Interaction {id: $id})
SET n += $props, n.version = $version, n.updatedAt = $now,
    n.createdAt = coalesce(n.createdAt, $now)
WITH n
CALL (n) {
  MATCH (n)-[w:WITH]->(p:Party) WHERE NOT p.id IN $partyIds
  DELETE w
}
CALL (n) {
  UNWIND $partyIds AS pid
  MATCH (p:Party {id: pid})
  MERGE (n)-[:WITH]->(p)
}
CALL (n) {
  MATCH (r:Rep)-[c:CONDUCTED]->(n) WHERE NOT r.id IN $repIds
  DELETE c
}
CALL (n) {
  UNWIND $repIds AS rid
  MATCH (r:Rep {id: rid})
  MERGE (r)-[:CONDUCTED]->(n)
}
CALL (n) {
  MATCH (n)-[a:ABOUT]->(o:Opportunity) WHERE $opportunityId IS NULL OR o.id <> $opportunityId
  DELETE a
}
CALL (n) {
  WITH n WHERE $opportunityId IS NOT NULL
  MATCH (o:Opportunity {id: $opportunityId})
  MERGE (n)-[:ABOUT]->(o)
}
RETURN n.id AS id

// name: read_interaction
MATCH (n:Interaction {id: $id})
RETURN properties(n) AS props,
       [(n)-[:WITH]->(p:Party) | {props: properties(p), kind: CASE WHEN p:Person THEN 'PERSON' ELSE 'ORGANIZATION' END}] AS parties,
       [(r:Rep)-[:CONDUCTED]->(n) | properties(r)] AS reps,
       [(n)-[:ABOUT]->(o:Opportunity) | o.id][0] AS opportunityId

// ----- the sales side -----
// Reps, account teams, products, opportunities, business events and affinity rules: claim
// (a create), lock (an update), put (the whole new state of the node's links from the
// parameters named like the import's fields). A lock does not find an archived node.

// name: claim_rep
MERGE (n:Rep {id: $id})
  ON CREATE SET n.version = 0
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props, [(n)-[:MANAGED_BY]->(m:Rep) | m.id][0] AS managerId

// name: lock_rep
MATCH (n:Rep {id: $id})
WHERE n.archivedAt IS NULL
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props, [(n)-[:MANAGED_BY]->(m:Rep) | m.id][0] AS managerId

// name: put_rep
MATCH (n:Rep {id: $id})
SET n += $props, n.version = $version, n.updatedAt = $now,
    n.createdAt = coalesce(n.createdAt, $now)
WITH n
CALL (n) {
  MATCH (n)-[old:MANAGED_BY]->(x:Rep)
  WHERE $managerId IS NULL OR x.id <> $managerId
  DELETE old
}
CALL (n) {
  WITH n WHERE $managerId IS NOT NULL
  MATCH (m:Rep {id: $managerId})
  MERGE (n)-[:MANAGED_BY]->(m)
}
RETURN properties(n) AS props, [(n)-[:MANAGED_BY]->(m:Rep) | m.id][0] AS managerId

// name: claim_team
MERGE (n:AccountTeam {id: $id})
  ON CREATE SET n.version = 0
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props, [(m:Rep)-[:MANAGES]->(n) | m.id][0] AS managerId

// name: lock_team
MATCH (n:AccountTeam {id: $id})
WHERE n.archivedAt IS NULL
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props, [(m:Rep)-[:MANAGES]->(n) | m.id][0] AS managerId

// name: put_team
MATCH (n:AccountTeam {id: $id})
SET n += $props, n.version = $version, n.updatedAt = $now,
    n.createdAt = coalesce(n.createdAt, $now)
WITH n
CALL (n) {
  MATCH (x:Rep)-[old:MANAGES]->(n)
  WHERE $managerId IS NULL OR x.id <> $managerId
  DELETE old
}
CALL (n) {
  WITH n WHERE $managerId IS NOT NULL
  MATCH (m:Rep {id: $managerId})
  MERGE (m)-[:MANAGES]->(n)
}
RETURN properties(n) AS props, [(m:Rep)-[:MANAGES]->(n) | m.id][0] AS managerId

// name: claim_product
MERGE (n:Product {id: $id})
  ON CREATE SET n.version = 0
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props

// name: lock_product
MATCH (n:Product {id: $id})
WHERE n.archivedAt IS NULL
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props

// name: put_product
MATCH (n:Product {id: $id})
SET n += $props, n.version = $version, n.updatedAt = $now,
    n.createdAt = coalesce(n.createdAt, $now)
WITH n
RETURN properties(n) AS props

// name: claim_opportunity
MERGE (n:Opportunity {id: $id})
  ON CREATE SET n.version = 0
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props, [(n)-[:FOR_ACCOUNT]->(a:Party) | a.id][0] AS accountId,
       [(o:Rep)-[:OWNS]->(n) | o.id][0] AS ownerId,
       [(n)-[:INCLUDES]->(p:Product) | p.id] AS productIds

// name: lock_opportunity
MATCH (n:Opportunity {id: $id})
WHERE n.archivedAt IS NULL
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props, [(n)-[:FOR_ACCOUNT]->(a:Party) | a.id][0] AS accountId,
       [(o:Rep)-[:OWNS]->(n) | o.id][0] AS ownerId,
       [(n)-[:INCLUDES]->(p:Product) | p.id] AS productIds

// name: put_opportunity
MATCH (n:Opportunity {id: $id})
SET n += $props, n.version = $version, n.updatedAt = $now,
    n.createdAt = coalesce(n.createdAt, $now)
WITH n
CALL (n) {
  MATCH (n)-[old:FOR_ACCOUNT]->(x:Party)
  WHERE $accountId IS NULL OR x.id <> $accountId
  DELETE old
}
CALL (n) {
  WITH n WHERE $accountId IS NOT NULL
  MATCH (a:Party {id: $accountId})
  MERGE (n)-[:FOR_ACCOUNT]->(a)
}
CALL (n) {
  MATCH (x:Rep)-[old:OWNS]->(n)
  WHERE $ownerId IS NULL OR x.id <> $ownerId
  DELETE old
}
CALL (n) {
  WITH n WHERE $ownerId IS NOT NULL
  MATCH (o:Rep {id: $ownerId})
  MERGE (o)-[:OWNS]->(n)
}
CALL (n) {
  MATCH (n)-[old:INCLUDES]->(x:Product)
  WHERE NOT x.id IN $productIds
  DELETE old
}
CALL (n) {
  UNWIND $productIds AS ref
  MATCH (p:Product {id: ref})
  MERGE (n)-[:INCLUDES]->(p)
}
RETURN properties(n) AS props, [(n)-[:FOR_ACCOUNT]->(a:Party) | a.id][0] AS accountId,
       [(o:Rep)-[:OWNS]->(n) | o.id][0] AS ownerId,
       [(n)-[:INCLUDES]->(p:Product) | p.id] AS productIds

// name: claim_event
MERGE (n:BusinessEvent {id: $id})
  ON CREATE SET n.version = 0
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props, [(o:Party)-[:HAS_EVENT]->(n) | o.id][0] AS organizationId

// name: lock_event
MATCH (n:BusinessEvent {id: $id})
WHERE n.archivedAt IS NULL
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props, [(o:Party)-[:HAS_EVENT]->(n) | o.id][0] AS organizationId

// name: put_event
MATCH (n:BusinessEvent {id: $id})
SET n += $props, n.version = $version, n.updatedAt = $now,
    n.createdAt = coalesce(n.createdAt, $now)
WITH n
CALL (n) {
  MATCH (x:Party)-[old:HAS_EVENT]->(n)
  WHERE $organizationId IS NULL OR x.id <> $organizationId
  DELETE old
}
CALL (n) {
  WITH n WHERE $organizationId IS NOT NULL
  MATCH (o:Party {id: $organizationId})
  MERGE (o)-[:HAS_EVENT]->(n)
}
RETURN properties(n) AS props, [(o:Party)-[:HAS_EVENT]->(n) | o.id][0] AS organizationId

// name: claim_rule
MERGE (n:AffinityRule {id: $id})
  ON CREATE SET n.version = 0
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props, [(n)-[:WHEN_HOLDS]->(p:Product) | p.id][0] AS whenProductId,
       [(n)-[:SUGGESTS]->(p:Product) | p.id] AS suggestsProductIds

// name: lock_rule
MATCH (n:AffinityRule {id: $id})
WHERE n.archivedAt IS NULL
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props, [(n)-[:WHEN_HOLDS]->(p:Product) | p.id][0] AS whenProductId,
       [(n)-[:SUGGESTS]->(p:Product) | p.id] AS suggestsProductIds

// name: put_rule
MATCH (n:AffinityRule {id: $id})
SET n += $props, n.version = $version, n.updatedAt = $now,
    n.createdAt = coalesce(n.createdAt, $now)
WITH n
CALL (n) {
  MATCH (n)-[old:WHEN_HOLDS]->(x:Product)
  WHERE $whenProductId IS NULL OR x.id <> $whenProductId
  DELETE old
}
CALL (n) {
  WITH n WHERE $whenProductId IS NOT NULL
  MATCH (p:Product {id: $whenProductId})
  MERGE (n)-[:WHEN_HOLDS]->(p)
}
CALL (n) {
  MATCH (n)-[old:SUGGESTS]->(x:Product)
  WHERE NOT x.id IN $suggestsProductIds
  DELETE old
}
CALL (n) {
  UNWIND $suggestsProductIds AS ref
  MATCH (p:Product {id: ref})
  MERGE (n)-[:SUGGESTS]->(p)
}
RETURN properties(n) AS props, [(n)-[:WHEN_HOLDS]->(p:Product) | p.id][0] AS whenProductId,
       [(n)-[:SUGGESTS]->(p:Product) | p.id] AS suggestsProductIds

// name: rep_manager_path
// An existing chain from the new manager up to the rep: MANAGED_BY would close a cycle.
MATCH p = shortestPath((m:Rep {id: $managerId})-[:MANAGED_BY*]->(x:Rep {id: $id}))
RETURN [n IN nodes(p) | n.id] AS ids
// name: claim_tas_answer
// partyIds: the account of the answer's opportunity (whom it touches, for access).
MERGE (n:TasAnswer {id: $id})
  ON CREATE SET n.version = 0
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props,
       [(n)-[:ANSWERS]->(o:Opportunity) | o.id][0] AS opportunityId,
       [(n)-[:ANSWERS]->(:Opportunity)-[:FOR_ACCOUNT]->(a:Party) | a.id] AS partyIds

// name: lock_tas_answer
MATCH (n:TasAnswer {id: $id})
SET n._lock = true REMOVE n._lock
RETURN properties(n) AS props,
       [(n)-[:ANSWERS]->(o:Opportunity) | o.id][0] AS opportunityId,
       [(n)-[:ANSWERS]->(:Opportunity)-[:FOR_ACCOUNT]->(a:Party) | a.id] AS partyIds

// name: put_tas_answer
MATCH (n:TasAnswer {id: $id}), (o:Opportunity {id: $opportunityId})
SET n += $props, n.version = $version, n.updatedAt = $now,
    n.createdAt = coalesce(n.createdAt, $now)
MERGE (n)-[:ANSWERS]->(o)
RETURN properties(n) AS props

// name: read_tas_answer
MATCH (n:TasAnswer {id: $id})
RETURN properties(n) AS props, [(n)-[:ANSWERS]->(o:Opportunity) | o.id][0] AS opportunityId

// name: opportunity_accounts
MATCH (o:Opportunity {id: $id})-[:FOR_ACCOUNT]->(a:Party)
RETURN collect(a.id) AS ids

// ----- links -----
// Each kind has _state (lock both ends, read them and the link), _put (the link's whole new
// property map, version included) and _delete. The ends come back as {props, kind}, null
// when there is no such node; `startId` is where a stored undirected link starts;
// `parties` and `accounts` are customers touched beyond the two ends.

// name: employment_state
OPTIONAL MATCH (a:Person {id: $personId})
OPTIONAL MATCH (b:Organization {id: $organizationId})
FOREACH (x IN [y IN [a, b] WHERE y IS NOT NULL] | SET x._lock = true REMOVE x._lock)
WITH a, b
OPTIONAL MATCH (a)-[r:WORKS_FOR]->(b)
WITH a, b, head(collect(r)) AS r
RETURN CASE WHEN a IS NULL THEN null ELSE {props: properties(a), kind: 'PERSON'} END AS a,
       CASE WHEN b IS NULL THEN null ELSE {props: properties(b), kind: 'ORGANIZATION'} END AS b,
       properties(r) AS link, null AS startId, [] AS parties, [] AS accounts,
       CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE
         [(a)-[c:WAS_WORKS_FOR]->(b) | c.validTo] END AS pastEnds

// name: employment_put
MATCH (a:Person {id: $personId}), (b:Organization {id: $organizationId})
CALL (a, b) {
  WITH a, b WHERE $closed IS NOT NULL
  MERGE (a)-[c:WAS_WORKS_FOR {validTo: $closed.validTo}]->(b)
  SET c = $closed
}
MERGE (a)-[r:WORKS_FOR]->(b)
SET r = $props
// The person's searchTitles follow their jobs (see import.cypher employment).
WITH a, r
CALL (a) {
  WITH a AS p
  CALL (p) {
    MATCH (p)-[w:WORKS_FOR]->(:Organization)
    WITH trim(coalesce(w.title, '') + ' ' + coalesce(w.department, '')) AS t ORDER BY t
    RETURN collect(t) AS titles
  }
  SET p.searchTitles = titles
}
RETURN properties(r) AS link

// name: employment_delete
MATCH (:Person {id: $personId})-[r:WORKS_FOR]->(:Organization {id: $organizationId})
{{CLOSE r: WAS_WORKS_FOR}}
DELETE r
WITH DISTINCT closedFrom AS p
CALL (p) {
  MATCH (p)-[w:WORKS_FOR]->(:Organization)
  WITH trim(coalesce(w.title, '') + ' ' + coalesce(w.department, '')) AS t ORDER BY t
  RETURN collect(t) AS titles
}
SET p.searchTitles = titles

// name: reporting_state
OPTIONAL MATCH (a:Person {id: $personId})
OPTIONAL MATCH (b:Person {id: $managerId})
FOREACH (x IN [y IN [a, b] WHERE y IS NOT NULL] | SET x._lock = true REMOVE x._lock)
WITH a, b
OPTIONAL MATCH (a)-[r:REPORTS_TO]->(b)
WITH a, b, head(collect(r)) AS r
RETURN CASE WHEN a IS NULL THEN null ELSE {props: properties(a), kind: 'PERSON'} END AS a,
       CASE WHEN b IS NULL THEN null ELSE {props: properties(b), kind: 'PERSON'} END AS b,
       properties(r) AS link, null AS startId, [] AS parties, [] AS accounts,
       CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE
         [(a)-[c:WAS_REPORTS_TO]->(b) | c.validTo] END AS pastEnds

// name: reporting_put
MATCH (a:Person {id: $personId}), (b:Person {id: $managerId})
CALL (a, b) {
  WITH a, b WHERE $closed IS NOT NULL
  MERGE (a)-[c:WAS_REPORTS_TO {validTo: $closed.validTo}]->(b)
  SET c = $closed
}
MERGE (a)-[r:REPORTS_TO]->(b)
SET r = $props
RETURN properties(r) AS link

// name: reporting_delete
MATCH (:Person {id: $personId})-[r:REPORTS_TO]->(:Person {id: $managerId})
{{CLOSE r: WAS_REPORTS_TO}}
DELETE r

// name: family_state
OPTIONAL MATCH (a:Person {id: $fromId})
OPTIONAL MATCH (b:Person {id: $toId})
FOREACH (x IN [y IN [a, b] WHERE y IS NOT NULL] | SET x._lock = true REMOVE x._lock)
WITH a, b
OPTIONAL MATCH (a)-[r:FAMILY]-(b)
WITH a, b, head(collect(r)) AS r
RETURN CASE WHEN a IS NULL THEN null ELSE {props: properties(a), kind: 'PERSON'} END AS a,
       CASE WHEN b IS NULL THEN null ELSE {props: properties(b), kind: 'PERSON'} END AS b,
       properties(r) AS link, CASE WHEN r IS NULL THEN null ELSE startNode(r).id END AS startId,
       [] AS parties, [] AS accounts,
       CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE
         [(a)-[c:WAS_FAMILY]-(b) | c.validTo] END AS pastEnds

// name: family_put
// One family link per pair: its kind or direction may change, so the old one goes first.
MATCH (a:Person {id: $fromId}), (b:Person {id: $toId})
CALL (a, b) {
  WITH a, b WHERE $closed IS NOT NULL
  MERGE (a)-[c:WAS_FAMILY {validTo: $closed.validTo}]->(b)
  SET c = $closed
}
CALL (a, b) {
  MATCH (a)-[old:FAMILY]-(b)
  DELETE old
}
CREATE (a)-[r:FAMILY]->(b)
SET r = $props
RETURN properties(r) AS link

// name: family_delete
MATCH (:Person {id: $fromId})-[r:FAMILY]-(:Person {id: $toId})
{{CLOSE r: WAS_FAMILY}}
DELETE r

// name: beneficiary_state
OPTIONAL MATCH (a:Person {id: $personId})
OPTIONAL MATCH (b:Holding {id: $holdingId})
FOREACH (x IN [y IN [a, b] WHERE y IS NOT NULL] | SET x._lock = true REMOVE x._lock)
WITH a, b
OPTIONAL MATCH (a)-[r:BENEFICIARY_OF]->(b)
WITH a, b, head(collect(r)) AS r
RETURN CASE WHEN a IS NULL THEN null ELSE {props: properties(a), kind: 'PERSON'} END AS a,
       CASE WHEN b IS NULL THEN null ELSE {props: properties(b), kind: 'HOLDING'} END AS b,
       properties(r) AS link, null AS startId,
       CASE WHEN b IS NULL THEN [] ELSE [(h:Party)-[:HOLDS]->(b) | h.id] END AS parties,
       [] AS accounts

// name: beneficiary_put
MATCH (a:Person {id: $personId}), (b:Holding {id: $holdingId})
MERGE (a)-[r:BENEFICIARY_OF]->(b)
SET r = $props
RETURN properties(r) AS link

// name: beneficiary_delete
MATCH (:Person {id: $personId})-[r:BENEFICIARY_OF]->(:Holding {id: $holdingId})
DELETE r

// name: buying_role_state
// On an account ($accountId) or on one opportunity ($opportunityId); the other is null.
OPTIONAL MATCH (a:Person {id: $personId})
OPTIONAL MATCH (acct:Party {id: $accountId})
OPTIONAL MATCH (opp:Opportunity {id: $opportunityId})
WITH a, coalesce(acct, opp) AS b, opp
FOREACH (x IN [y IN [a, b] WHERE y IS NOT NULL] | SET x._lock = true REMOVE x._lock)
WITH a, b, opp
OPTIONAL MATCH (a)-[r:BUYING_ROLE]->(b)
WITH a, b, opp, head(collect(r)) AS r
RETURN CASE WHEN a IS NULL THEN null ELSE {props: properties(a), kind: 'PERSON'} END AS a,
       CASE WHEN b IS NULL THEN null ELSE {props: properties(b), kind: CASE
           WHEN b:Person THEN 'PERSON' WHEN b:Organization THEN 'ORGANIZATION'
           ELSE 'OPPORTUNITY' END} END AS b,
       properties(r) AS link, null AS startId,
       CASE WHEN opp IS NULL THEN [] ELSE [(opp)-[:FOR_ACCOUNT]->(x:Party) | x.id] END AS parties,
       CASE WHEN opp IS NULL THEN [] ELSE [(opp)-[:FOR_ACCOUNT]->(x:Party) | x.id] END AS accounts,
       CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE
         [(a)-[c:WAS_BUYING_ROLE]->(b) | c.validTo] END AS pastEnds

// name: buying_role_put
MATCH (a:Person {id: $personId})
OPTIONAL MATCH (acct:Party {id: $accountId})
OPTIONAL MATCH (opp:Opportunity {id: $opportunityId})
WITH a, coalesce(acct, opp) AS b
CALL (a, b) {
  WITH a, b WHERE $closed IS NOT NULL
  MERGE (a)-[c:WAS_BUYING_ROLE {validTo: $closed.validTo}]->(b)
  SET c = $closed
}
MERGE (a)-[r:BUYING_ROLE]->(b)
SET r = $props
RETURN properties(r) AS link

// name: buying_role_delete
MATCH (a:Person {id: $personId})-[r:BUYING_ROLE]->(b)
WHERE (b:Party AND b.id = $accountId) OR (b:Opportunity AND b.id = $opportunityId)
{{CLOSE r: WAS_BUYING_ROLE}}
DELETE r

// name: influence_state
OPTIONAL MATCH (a:Person {id: $fromId})
OPTIONAL MATCH (b:Person {id: $toId})
FOREACH (x IN [y IN [a, b] WHERE y IS NOT NULL] | SET x._lock = true REMOVE x._lock)
WITH a, b
OPTIONAL MATCH (a)-[r:INFLUENCES]->(b)
WITH a, b, head(collect(r)) AS r
RETURN CASE WHEN a IS NULL THEN null ELSE {props: properties(a), kind: 'PERSON'} END AS a,
       CASE WHEN b IS NULL THEN null ELSE {props: properties(b), kind: 'PERSON'} END AS b,
       properties(r) AS link, null AS startId, [] AS parties, [] AS accounts,
       CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE
         [(a)-[c:WAS_INFLUENCES]->(b) | c.validTo] END AS pastEnds

// name: influence_put
MATCH (a:Person {id: $fromId}), (b:Person {id: $toId})
CALL (a, b) {
  WITH a, b WHERE $closed IS NOT NULL
  MERGE (a)-[c:WAS_INFLUENCES {validTo: $closed.validTo}]->(b)
  SET c = $closed
}
MERGE (a)-[r:INFLUENCES]->(b)
SET r = $props
RETURN properties(r) AS link

// name: influence_delete
MATCH (:Person {id: $fromId})-[r:INFLUENCES]->(:Person {id: $toId})
{{CLOSE r: WAS_INFLUENCES}}
DELETE r

// name: acquaintance_state
OPTIONAL MATCH (a:Party {id: $fromId})
OPTIONAL MATCH (b:Party {id: $toId})
FOREACH (x IN [y IN [a, b] WHERE y IS NOT NULL] | SET x._lock = true REMOVE x._lock)
WITH a, b
OPTIONAL MATCH (a)-[r:KNOWS]-(b)
WITH a, b, head(collect(r)) AS r
RETURN CASE WHEN a IS NULL THEN null ELSE {props: properties(a), kind: CASE WHEN a:Person THEN 'PERSON' ELSE 'ORGANIZATION' END} END AS a,
       CASE WHEN b IS NULL THEN null ELSE {props: properties(b), kind: CASE WHEN b:Person THEN 'PERSON' ELSE 'ORGANIZATION' END} END AS b,
       properties(r) AS link, CASE WHEN r IS NULL THEN null ELSE startNode(r).id END AS startId,
       [] AS parties, [] AS accounts,
       CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE
         [(a)-[c:WAS_KNOWS]-(b) | c.validTo] END AS pastEnds

// name: acquaintance_put
// Undirected: stored once, from the lower id ($fromId).
MATCH (a:Party {id: $fromId}), (b:Party {id: $toId})
CALL (a, b) {
  WITH a, b WHERE $closed IS NOT NULL
  MERGE (a)-[c:WAS_KNOWS {validTo: $closed.validTo}]->(b)
  SET c = $closed
}
CALL (a, b) {
  MATCH (a)-[old:KNOWS]-(b)
  DELETE old
}
CREATE (a)-[r:KNOWS]->(b)
SET r = $props
RETURN properties(r) AS link

// name: acquaintance_delete
MATCH (:Party {id: $fromId})-[r:KNOWS]-(:Party {id: $toId})
{{CLOSE r: WAS_KNOWS}}
DELETE r

// name: coverage_state
OPTIONAL MATCH (a:Rep {id: $repId})
OPTIONAL MATCH (b:Party {id: $personId})
FOREACH (x IN [y IN [a, b] WHERE y IS NOT NULL] | SET x._lock = true REMOVE x._lock)
WITH a, b
OPTIONAL MATCH (a)-[r:COVERS]->(b)
WITH a, b, head(collect(r)) AS r
RETURN CASE WHEN a IS NULL THEN null ELSE {props: properties(a), kind: 'REP'} END AS a,
       CASE WHEN b IS NULL THEN null ELSE {props: properties(b), kind: CASE WHEN b:Person THEN 'PERSON' ELSE 'ORGANIZATION' END} END AS b,
       properties(r) AS link, null AS startId, [] AS parties, [] AS accounts,
       CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE
         [(a)-[c:WAS_COVERS]->(b) | c.validTo] END AS pastEnds

// name: coverage_put
MATCH (a:Rep {id: $repId}), (b:Party {id: $personId})
CALL (a, b) {
  WITH a, b WHERE $closed IS NOT NULL
  MERGE (a)-[c:WAS_COVERS {validTo: $closed.validTo}]->(b)
  SET c = $closed
}
MERGE (a)-[r:COVERS]->(b)
SET r = $props
RETURN properties(r) AS link

// name: coverage_delete
MATCH (:Rep {id: $repId})-[r:COVERS]->(:Party {id: $personId})
{{CLOSE r: WAS_COVERS}}
DELETE r

// name: team_member_state
OPTIONAL MATCH (a:AccountTeam {id: $teamId})
OPTIONAL MATCH (b:Rep {id: $repId})
FOREACH (x IN [y IN [a, b] WHERE y IS NOT NULL] | SET x._lock = true REMOVE x._lock)
WITH a, b
OPTIONAL MATCH (b)-[r:MEMBER_OF]->(a)
WITH a, b, head(collect(r)) AS r
RETURN CASE WHEN a IS NULL THEN null ELSE {props: properties(a), kind: 'TEAM'} END AS a,
       CASE WHEN b IS NULL THEN null ELSE {props: properties(b), kind: 'REP'} END AS b,
       properties(r) AS link, null AS startId, [] AS parties, [] AS accounts,
       CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE
         [(b)-[c:WAS_MEMBER_OF]->(a) | c.validTo] END AS pastEnds

// name: team_member_put
MATCH (a:AccountTeam {id: $teamId}), (b:Rep {id: $repId})
CALL (a, b) {
  WITH a, b WHERE $closed IS NOT NULL
  MERGE (b)-[c:WAS_MEMBER_OF {validTo: $closed.validTo}]->(a)
  SET c = $closed
}
MERGE (b)-[r:MEMBER_OF]->(a)
SET r = $props
RETURN properties(r) AS link

// name: team_member_delete
MATCH (:Rep {id: $repId})-[r:MEMBER_OF]->(:AccountTeam {id: $teamId})
{{CLOSE r: WAS_MEMBER_OF}}
DELETE r

// name: team_account_state
OPTIONAL MATCH (a:AccountTeam {id: $teamId})
OPTIONAL MATCH (b:Party {id: $partyId})
FOREACH (x IN [y IN [a, b] WHERE y IS NOT NULL] | SET x._lock = true REMOVE x._lock)
WITH a, b
OPTIONAL MATCH (a)-[r:COVERS_ACCOUNT]->(b)
WITH a, b, head(collect(r)) AS r
RETURN CASE WHEN a IS NULL THEN null ELSE {props: properties(a), kind: 'TEAM'} END AS a,
       CASE WHEN b IS NULL THEN null ELSE {props: properties(b), kind: CASE WHEN b:Person THEN 'PERSON' ELSE 'ORGANIZATION' END} END AS b,
       properties(r) AS link, null AS startId, [] AS parties, [] AS accounts,
       CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE
         [(a)-[c:WAS_COVERS_ACCOUNT]->(b) | c.validTo] END AS pastEnds

// name: team_account_put
MATCH (a:AccountTeam {id: $teamId}), (b:Party {id: $partyId})
CALL (a, b) {
  WITH a, b WHERE $closed IS NOT NULL
  MERGE (a)-[c:WAS_COVERS_ACCOUNT {validTo: $closed.validTo}]->(b)
  SET c = $closed
}
MERGE (a)-[r:COVERS_ACCOUNT]->(b)
SET r = $props
RETURN properties(r) AS link

// name: team_account_delete
MATCH (:AccountTeam {id: $teamId})-[r:COVERS_ACCOUNT]->(:Party {id: $partyId})
{{CLOSE r: WAS_COVERS_ACCOUNT}}
DELETE r

// name: competitor_coverage_state
OPTIONAL MATCH (a:Competitor {id: $competitorId})
OPTIONAL MATCH (b:Person {id: $personId})
FOREACH (x IN [y IN [a, b] WHERE y IS NOT NULL] | SET x._lock = true REMOVE x._lock)
WITH a, b
OPTIONAL MATCH (a)-[r:COMPETITOR_COVERS]->(b)
WITH a, b, head(collect(r)) AS r
RETURN CASE WHEN a IS NULL THEN null ELSE {props: properties(a), kind: 'COMPETITOR'} END AS a,
       CASE WHEN b IS NULL THEN null ELSE {props: properties(b), kind: 'PERSON'} END AS b,
       properties(r) AS link, null AS startId, [] AS parties, [] AS accounts,
       CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE
         [(a)-[c:WAS_COMPETITOR_COVERS]->(b) | c.validTo] END AS pastEnds

// name: competitor_coverage_put
MATCH (a:Competitor {id: $competitorId}), (b:Person {id: $personId})
CALL (a, b) {
  WITH a, b WHERE $closed IS NOT NULL
  MERGE (a)-[c:WAS_COMPETITOR_COVERS {validTo: $closed.validTo}]->(b)
  SET c = $closed
}
MERGE (a)-[r:COMPETITOR_COVERS]->(b)
SET r = $props
RETURN properties(r) AS link

// name: competitor_coverage_delete
MATCH (:Competitor {id: $competitorId})-[r:COMPETITOR_COVERS]->(:Person {id: $personId})
{{CLOSE r: WAS_COMPETITOR_COVERS}}
DELETE r

// name: competitor_opportunity_state
// The opportunity's account is whom the link touches (parties, accounts).
OPTIONAL MATCH (a:Competitor {id: $competitorId})
OPTIONAL MATCH (b:Opportunity {id: $opportunityId})
FOREACH (x IN [y IN [a, b] WHERE y IS NOT NULL] | SET x._lock = true REMOVE x._lock)
WITH a, b
OPTIONAL MATCH (a)-[r:COMPETES_FOR]->(b)
WITH a, b, head(collect(r)) AS r
RETURN CASE WHEN a IS NULL THEN null ELSE {props: properties(a), kind: 'COMPETITOR'} END AS a,
       CASE WHEN b IS NULL THEN null ELSE {props: properties(b), kind: 'OPPORTUNITY'} END AS b,
       properties(r) AS link, null AS startId,
       CASE WHEN b IS NULL THEN [] ELSE [(b)-[:FOR_ACCOUNT]->(x:Party) | x.id] END AS parties,
       CASE WHEN b IS NULL THEN [] ELSE [(b)-[:FOR_ACCOUNT]->(x:Party) | x.id] END AS accounts

// name: competitor_opportunity_put
MATCH (a:Competitor {id: $competitorId}), (b:Opportunity {id: $opportunityId})
MERGE (a)-[r:COMPETES_FOR]->(b)
SET r = $props
RETURN properties(r) AS link

// name: competitor_opportunity_delete
MATCH (:Competitor {id: $competitorId})-[r:COMPETES_FOR]->(:Opportunity {id: $opportunityId})
DELETE r

// ----- the audit trail -----

// name: audit
// Written in the same transaction as the changes it records. An archived party keeps its
// trail: the entry of its archiving (and of its restore) concerns it too.
UNWIND $entries AS e
CREATE (a:AuditEntry)
SET a = e.props
WITH a, e
CALL (a, e) {
  UNWIND e.partyIds AS pid
  CALL (pid) {
    MATCH (p:Party {id: pid}) RETURN p
    UNION
    MATCH (p:ArchivedParty {id: pid}) RETURN p
  }
  CREATE (a)-[:CONCERNS]->(p)
}

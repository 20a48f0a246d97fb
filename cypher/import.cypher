// Bulk import: one query per section, each fed batches of validated rows ($rows).
// Node rows carry {id, props, ...link ids}; link rows carry their key ids and props.
// A node's version goes up only when a property really changes, so loading twice changes nothing.

// name: lookup_party
UNWIND $ids AS id
MATCH (n:Party {id: id})
RETURN n.id AS id, CASE WHEN n:Person THEN 'Person' ELSE 'Organization' END AS kind

// name: lookup_Person
UNWIND $ids AS id
MATCH (n:Person {id: id})
RETURN n.id AS id, 'Person' AS kind

// name: lookup_Organization
UNWIND $ids AS id
MATCH (n:Organization {id: id})
RETURN n.id AS id, 'Organization' AS kind

// name: lookup_Rep
UNWIND $ids AS id
MATCH (n:Rep {id: id})
RETURN n.id AS id, 'Rep' AS kind

// name: lookup_AccountTeam
UNWIND $ids AS id
MATCH (n:AccountTeam {id: id})
RETURN n.id AS id, 'AccountTeam' AS kind

// name: lookup_Product
UNWIND $ids AS id
MATCH (n:Product {id: id})
RETURN n.id AS id, 'Product' AS kind

// name: lookup_Holding
UNWIND $ids AS id
MATCH (n:Holding {id: id})
RETURN n.id AS id, 'Holding' AS kind

// name: lookup_Opportunity
UNWIND $ids AS id
MATCH (n:Opportunity {id: id})
RETURN n.id AS id, 'Opportunity' AS kind

// name: lookup_Interaction
UNWIND $ids AS id
MATCH (n:Interaction {id: id})
RETURN n.id AS id, 'Interaction' AS kind

// name: lookup_BusinessEvent
UNWIND $ids AS id
MATCH (n:BusinessEvent {id: id})
RETURN n.id AS id, 'BusinessEvent' AS kind

// name: lookup_AffinityRule
UNWIND $ids AS id
MATCH (n:AffinityRule {id: id})
RETURN n.id AS id, 'AffinityRule' AS kind

// name: lookup_Competitor
UNWIND $ids AS id
MATCH (n:Competitor {id: id})
RETURN n.id AS id, 'Competitor' AS kind

// name: lookup_TasAnswer
UNWIND $ids AS id
MATCH (n:TasAnswer {id: id})
RETURN n.id AS id, 'TasAnswer' AS kind

// The stored links of the acyclic relations (spec: Section.acyclic), from the given ids: the
// validator follows them to find the cycles a document would close with what is stored.

// name: links_organizations
UNWIND $ids AS id
MATCH (:Organization {id: id})-[:PART_OF]->(p:Organization)
RETURN id AS src, p.id AS dst

// name: links_reps
UNWIND $ids AS id
MATCH (:Rep {id: id})-[:MANAGED_BY]->(m:Rep)
RETURN id AS src, m.id AS dst

// name: links_reporting
UNWIND $ids AS id
MATCH (:Person {id: id})-[:REPORTS_TO]->(m:Person)
RETURN id AS src, m.id AS dst


// name: organizations
UNWIND $rows AS row
MERGE (n:Party {id: row.id})
  ON CREATE SET n.version = 0, n.createdAt = $now
SET n:Organization
WITH n, row
WHERE n.version = 0 OR any(k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k])
SET n += row.props, n.version = n.version + 1, n.updatedAt = $now

// name: organization_parents
UNWIND $rows AS row
MATCH (c:Organization {id: row.id}), (p:Organization {id: row.parentId})
OPTIONAL MATCH (c)-[old:PART_OF]->(x) WHERE x <> p
DELETE old
MERGE (c)-[:PART_OF]->(p)

// name: people
UNWIND $rows AS row
MERGE (n:Party {id: row.id})
  ON CREATE SET n.version = 0, n.createdAt = $now
SET n:Person
WITH n, row
WHERE n.version = 0 OR any(k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k])
SET n += row.props, n.version = n.version + 1, n.updatedAt = $now

// name: reps
UNWIND $rows AS row
MERGE (n:Rep {id: row.id})
  ON CREATE SET n.version = 0, n.createdAt = $now
WITH n, row
WHERE n.version = 0 OR any(k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k])
SET n += row.props, n.version = n.version + 1, n.updatedAt = $now

// name: rep_managers
UNWIND $rows AS row
MATCH (r:Rep {id: row.id}), (m:Rep {id: row.managerId})
OPTIONAL MATCH (r)-[old:MANAGED_BY]->(x) WHERE x <> m
DELETE old
MERGE (r)-[:MANAGED_BY]->(m)

// name: accountTeams
UNWIND $rows AS row
MERGE (n:AccountTeam {id: row.id})
  ON CREATE SET n.version = 0, n.createdAt = $now
WITH n, row
WHERE n.version = 0 OR any(k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k])
SET n += row.props, n.version = n.version + 1, n.updatedAt = $now

// name: team_managers
UNWIND $rows AS row
MATCH (t:AccountTeam {id: row.id}), (m:Rep {id: row.managerId})
OPTIONAL MATCH (other:Rep)-[old:MANAGES]->(t) WHERE other <> m
DELETE old
MERGE (m)-[:MANAGES]->(t)

// name: products
UNWIND $rows AS row
MERGE (n:Product {id: row.id})
  ON CREATE SET n.version = 0, n.createdAt = $now
WITH n, row
WHERE n.version = 0 OR any(k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k])
SET n += row.props, n.version = n.version + 1, n.updatedAt = $now

// name: opportunities
UNWIND $rows AS row
MATCH (a:Party {id: row.accountId})
MERGE (n:Opportunity {id: row.id})
  ON CREATE SET n.version = 0, n.createdAt = $now
WITH n, row, a
CALL (n, a) {
  OPTIONAL MATCH (n)-[old:FOR_ACCOUNT]->(x) WHERE x <> a
  DELETE old
  MERGE (n)-[:FOR_ACCOUNT]->(a)
}
CALL (n, row) {
  WITH n, row WHERE row.ownerId IS NOT NULL
  MATCH (o:Rep {id: row.ownerId})
  OPTIONAL MATCH (x:Rep)-[old:OWNS]->(n) WHERE x <> o
  DELETE old
  MERGE (o)-[:OWNS]->(n)
}
CALL (n, row) {
  UNWIND row.productIds AS pid
  MATCH (p:Product {id: pid})
  MERGE (n)-[:INCLUDES]->(p)
}
WITH n, row
WHERE n.version = 0 OR any(k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k])
SET n += row.props, n.version = n.version + 1, n.updatedAt = $now

// name: holdings
UNWIND $rows AS row
MATCH (party:Party {id: row.partyId}), (p:Product {id: row.productId})
MERGE (n:Holding {id: row.id})
  ON CREATE SET n.version = 0, n.createdAt = $now
MERGE (party)-[:HOLDS]->(n)
MERGE (n)-[:OF_PRODUCT]->(p)
WITH n, row
WHERE n.version = 0 OR any(k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k])
SET n += row.props, n.version = n.version + 1, n.updatedAt = $now

// name: interactions
UNWIND $rows AS row
MERGE (n:Interaction {id: row.id})
  ON CREATE SET n.version = 0, n.createdAt = $now
WITH n, row
CALL (n, row) {
  UNWIND row.partyIds AS pid
  MATCH (p:Party {id: pid})
  MERGE (n)-[:WITH]->(p)
}
CALL (n, row) {
  UNWIND row.repIds AS rid
  MATCH (r:Rep {id: rid})
  MERGE (r)-[:CONDUCTED]->(n)
}
CALL (n, row) {
  WITH n, row WHERE row.opportunityId IS NOT NULL
  MATCH (o:Opportunity {id: row.opportunityId})
  MERGE (n)-[:ABOUT]->(o)
}
WITH n, row
WHERE n.version = 0 OR any(k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k])
SET n += row.props, n.version = n.version + 1, n.updatedAt = $now

// name: events
UNWIND $rows AS row
MATCH (o:Party {id: row.organizationId})
MERGE (n:BusinessEvent {id: row.id})
  ON CREATE SET n.version = 0, n.createdAt = $now
MERGE (o)-[:HAS_EVENT]->(n)
WITH n, row
WHERE n.version = 0 OR any(k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k])
SET n += row.props, n.version = n.version + 1, n.updatedAt = $now

// name: affinityRules
UNWIND $rows AS row
MERGE (n:AffinityRule {id: row.id})
  ON CREATE SET n.version = 0, n.createdAt = $now
WITH n, row
CALL (n, row) {
  WITH n, row WHERE row.whenProductId IS NOT NULL
  MATCH (p:Product {id: row.whenProductId})
  MERGE (n)-[:WHEN_HOLDS]->(p)
}
CALL (n, row) {
  UNWIND row.suggestsProductIds AS pid
  MATCH (p:Product {id: pid})
  MERGE (n)-[:SUGGESTS]->(p)
}
WITH n, row
WHERE n.version = 0 OR any(k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k])
SET n += row.props, n.version = n.version + 1, n.updatedAt = $now

// name: competitors
UNWIND $rows AS row
MERGE (n:Competitor {id: row.id})
  ON CREATE SET n.version = 0, n.createdAt = $now
WITH n, row
WHERE n.version = 0 OR any(k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k])
SET n += row.props, n.version = n.version + 1, n.updatedAt = $now

// name: tasAnswers
UNWIND $rows AS row
MATCH (o:Opportunity {id: row.opportunityId})
MERGE (n:TasAnswer {id: row.id})
  ON CREATE SET n.version = 0, n.createdAt = $now
WITH n, row, o
CALL (n, o) {
  OPTIONAL MATCH (n)-[old:ANSWERS]->(x) WHERE x <> o
  DELETE old
  MERGE (n)-[:ANSWERS]->(o)
}
WITH n, row
WHERE n.version = 0 OR any(k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k])
SET n += row.props, n.version = n.version + 1, n.updatedAt = $now

// name: employment
UNWIND $rows AS row
MATCH (p:Person {id: row.personId}), (o:Organization {id: row.organizationId})
MERGE (p)-[r:WORKS_FOR]->(o)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
// updatedAt moves when the row changes the link (as a node's version and updatedAt do).
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props
// searchTitles: what `search` finds a person by besides names (titles, departments of
// every job), sorted: the same jobs give the same list whatever order the links are stored
// in; kept in step with the WORKS_FOR links here and in write.cypher.
WITH DISTINCT p
CALL (p) {
  MATCH (p)-[w:WORKS_FOR]->(:Organization)
  WITH trim(coalesce(w.title, '') + ' ' + coalesce(w.department, '')) AS t ORDER BY t
  RETURN collect(t) AS titles
}
SET p.searchTitles = titles

// name: reporting
UNWIND $rows AS row
MATCH (p:Person {id: row.personId}), (m:Person {id: row.managerId})
MERGE (p)-[r:REPORTS_TO]->(m)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: family
// One family link per pair: a link the other way round (a PARENT turned round by a CHILD row,
// or a kind changed from PARENT) is replaced, not kept beside the new one.
UNWIND $rows AS row
MATCH (a:Person {id: row.fromId}), (b:Person {id: row.toId})
CALL (a, b) {
  OPTIONAL MATCH (b)-[old:FAMILY]->(a)
  DELETE old
}
MERGE (a)-[r:FAMILY]->(b)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: beneficiaries
UNWIND $rows AS row
MATCH (p:Person {id: row.personId}), (h:Holding {id: row.holdingId})
MERGE (p)-[r:BENEFICIARY_OF]->(h)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: buyingRoles_account
UNWIND $rows AS row
MATCH (p:Person {id: row.personId}), (t:Party {id: row.accountId})
MERGE (p)-[r:BUYING_ROLE]->(t)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: buyingRoles_opportunity
UNWIND $rows AS row
MATCH (p:Person {id: row.personId}), (t:Opportunity {id: row.opportunityId})
MERGE (p)-[r:BUYING_ROLE]->(t)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: influence
UNWIND $rows AS row
MATCH (a:Person {id: row.fromId}), (b:Person {id: row.toId})
MERGE (a)-[r:INFLUENCES]->(b)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: acquaintance
UNWIND $rows AS row
MATCH (a:Party {id: row.fromId}), (b:Party {id: row.toId})
MERGE (a)-[r:KNOWS]->(b)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: coverage
UNWIND $rows AS row
MATCH (rep:Rep {id: row.repId}), (p:Party {id: row.personId})
MERGE (rep)-[r:COVERS]->(p)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: competitorOpportunities
UNWIND $rows AS row
MATCH (c:Competitor {id: row.competitorId}), (o:Opportunity {id: row.opportunityId})
MERGE (c)-[r:COMPETES_FOR]->(o)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: competitorCoverage
UNWIND $rows AS row
MATCH (c:Competitor {id: row.competitorId}), (p:Person {id: row.personId})
MERGE (c)-[r:COMPETITOR_COVERS]->(p)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: teamMembers
UNWIND $rows AS row
MATCH (t:AccountTeam {id: row.teamId}), (rep:Rep {id: row.repId})
MERGE (rep)-[r:MEMBER_OF]->(t)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: teamAccounts
UNWIND $rows AS row
MATCH (t:AccountTeam {id: row.teamId}), (p:Party {id: row.partyId})
MERGE (t)-[r:COVERS_ACCOUNT]->(p)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props


// ----- closed periods (spec.closed_type): rows with validTo, stored as WAS_<type> links -----
// A closed period of a key is named by its end day (the validator refuses two periods of a
// key that end the same day), so loading twice changes nothing.

// name: employment_closed
UNWIND $rows AS row
MATCH (p:Person {id: row.personId}), (o:Organization {id: row.organizationId})
MERGE (p)-[r:WAS_WORKS_FOR {validTo: row.props.validTo}]->(o)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: reporting_closed
UNWIND $rows AS row
MATCH (p:Person {id: row.personId}), (m:Person {id: row.managerId})
MERGE (p)-[r:WAS_REPORTS_TO {validTo: row.props.validTo}]->(m)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: family_closed
UNWIND $rows AS row
MATCH (a:Person {id: row.fromId}), (b:Person {id: row.toId})
MERGE (a)-[r:WAS_FAMILY {validTo: row.props.validTo}]->(b)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: buyingRoles_account_closed
UNWIND $rows AS row
MATCH (p:Person {id: row.personId}), (t:Party {id: row.accountId})
MERGE (p)-[r:WAS_BUYING_ROLE {validTo: row.props.validTo}]->(t)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: buyingRoles_opportunity_closed
UNWIND $rows AS row
MATCH (p:Person {id: row.personId}), (t:Opportunity {id: row.opportunityId})
MERGE (p)-[r:WAS_BUYING_ROLE {validTo: row.props.validTo}]->(t)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: influence_closed
UNWIND $rows AS row
MATCH (a:Person {id: row.fromId}), (b:Person {id: row.toId})
MERGE (a)-[r:WAS_INFLUENCES {validTo: row.props.validTo}]->(b)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: acquaintance_closed
UNWIND $rows AS row
MATCH (a:Party {id: row.fromId}), (b:Party {id: row.toId})
MERGE (a)-[r:WAS_KNOWS {validTo: row.props.validTo}]->(b)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: coverage_closed
UNWIND $rows AS row
MATCH (rep:Rep {id: row.repId}), (p:Party {id: row.personId})
MERGE (rep)-[r:WAS_COVERS {validTo: row.props.validTo}]->(p)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: competitorCoverage_closed
UNWIND $rows AS row
MATCH (c:Competitor {id: row.competitorId}), (p:Person {id: row.personId})
MERGE (c)-[r:WAS_COMPETITOR_COVERS {validTo: row.props.validTo}]->(p)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: teamMembers_closed
UNWIND $rows AS row
MATCH (t:AccountTeam {id: row.teamId}), (rep:Rep {id: row.repId})
MERGE (rep)-[r:WAS_MEMBER_OF {validTo: row.props.validTo}]->(t)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

// name: teamAccounts_closed
UNWIND $rows AS row
MATCH (t:AccountTeam {id: row.teamId}), (p:Party {id: row.partyId})
MERGE (t)-[r:WAS_COVERS_ACCOUNT {validTo: row.props.validTo}]->(p)
  ON CREATE SET r.createdAt = $now, r.updatedAt = $now
SET r.updatedAt = CASE
    WHEN any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k]) THEN $now
    ELSE r.updatedAt END
SET r += row.props

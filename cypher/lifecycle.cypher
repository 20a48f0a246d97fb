// The lifecycle of nodes (services/writes.py, "lifecycle"): archiving, restoring, merging two
// parties, erasing a person's personal data. Each runs in the write transaction of the
// mutation (versions, audit, change feed like every write).
//
// Archiving swaps the node's labels: :Party:Person becomes :Archived:ArchivedParty:ArchivedPerson,
// :Rep becomes :Archived:ArchivedRep, and so on. Every read names its labels (`MATCH (p:Party)`,
// `(r:Rep)-[:COVERS]->(d:Party)`), so an archived node drops out of every read, index and
// full-text search at no cost and with no read changed, while its properties and links stay
// for its history and for a restore. `archivedKind` keeps what it was (EntityKind name).
// A merged party is deleted once its links are moved; its id joins the survivor's mergedIds
// (a declared field: export and import keep it), which `resolve` finds by a full-text index.

// name: state
// The node of $kind with this id, live or archived (both, when an import re-created an
// archived id), locked. $kinds: the kinds that share the id space (a person's id may not be
// an organization's). `accounts`: the customers it belongs to (an opportunity's account, a
// business event's organization), who decide who may change it.
CALL () {
  MATCH (n:Party {id: $id}) WHERE $kind IN ['PERSON', 'ORGANIZATION'] RETURN n
  UNION
  MATCH (n:Rep {id: $id}) WHERE $kind = 'REP' RETURN n
  UNION
  MATCH (n:AccountTeam {id: $id}) WHERE $kind = 'ACCOUNT_TEAM' RETURN n
  UNION
  MATCH (n:Product {id: $id}) WHERE $kind = 'PRODUCT' RETURN n
  UNION
  MATCH (n:Opportunity {id: $id}) WHERE $kind = 'OPPORTUNITY' RETURN n
  UNION
  MATCH (n:BusinessEvent {id: $id}) WHERE $kind = 'BUSINESS_EVENT' RETURN n
  UNION
  MATCH (n:AffinityRule {id: $id}) WHERE $kind = 'AFFINITY_RULE' RETURN n
  UNION
  MATCH (n:Archived {id: $id}) WHERE n.archivedKind IN $kinds RETURN n
}
SET n._lock = true REMOVE n._lock
RETURN elementId(n) AS node, properties(n) AS props, n:Archived AS archived,
       n:MergedParty AS merged,
       CASE WHEN n:Archived THEN n.archivedKind
            WHEN n:Person THEN 'PERSON' WHEN n:Organization THEN 'ORGANIZATION'
            ELSE $kind END AS kind,
       [(n)-[:FOR_ACCOUNT]->(a) WHERE a:Party OR a:ArchivedParty | a.id]
       + [(a)-[:HAS_EVENT]->(n) WHERE a:Party OR a:ArchivedParty | a.id] AS accounts

// name: taken
// Whether an id of these kinds is archived, or (for parties) a merged party's id that
// resolves to a live party (its mergedIds hold it: the full-text index party_merged_ids
// finds it, $query being the id escaped for Lucene): a create may not take it.
CALL db.index.fulltext.queryNodes('party_merged_ids', $query) YIELD node
WITH collect(node) AS found
WITH [n IN found WHERE $id IN n.mergedIds AND n:Party | n.id][0] AS survivorId
OPTIONAL MATCH (n:Archived {id: $id}) WHERE n.archivedKind IN $kinds
WITH survivorId, n
WHERE n IS NOT NULL OR (survivorId IS NOT NULL AND 'PERSON' IN $kinds)
RETURN coalesce(n.archivedKind, 'PERSON') AS kind, n IS NULL AS merged
LIMIT 1

// name: related_accounts
// The accounts a party is marked on (directly or through an opportunity): their portfolio
// flags (decision layer) count it, so they are refreshed when it leaves or comes back.
MATCH (p) WHERE elementId(p) = $node
RETURN COLLECT {
  MATCH (p)-[:BUYING_ROLE]->(x:Party) RETURN x.id
  UNION
  MATCH (p)-[:BUYING_ROLE]->(:Opportunity)-[:FOR_ACCOUNT]->(x:Party) RETURN x.id
} AS ids

// name: product_holders
// The parties holding a product (its archive changes what the co-holding statistics count).
MATCH (prod) WHERE elementId(prod) = $node
RETURN COLLECT { MATCH (p:Party)-[:HOLDS]->(:Holding)-[:OF_PRODUCT]->(prod) RETURN DISTINCT p.id }
       AS ids

// name: archive
// $props: archivedAt, archivedBy, archivedReason, archivedKind, version, updatedAt.
MATCH (n) WHERE elementId(n) = $node
SET n:Archived, n += $props
FOREACH (_ IN CASE WHEN n:Party THEN [1] ELSE [] END | REMOVE n:Party SET n:ArchivedParty)
FOREACH (_ IN CASE WHEN n:Person THEN [1] ELSE [] END | REMOVE n:Person SET n:ArchivedPerson)
FOREACH (_ IN CASE WHEN n:Organization THEN [1] ELSE [] END |
  REMOVE n:Organization SET n:ArchivedOrganization)
FOREACH (_ IN CASE WHEN n:Rep THEN [1] ELSE [] END | REMOVE n:Rep SET n:ArchivedRep)
FOREACH (_ IN CASE WHEN n:AccountTeam THEN [1] ELSE [] END |
  REMOVE n:AccountTeam SET n:ArchivedAccountTeam)
FOREACH (_ IN CASE WHEN n:Product THEN [1] ELSE [] END | REMOVE n:Product SET n:ArchivedProduct)
FOREACH (_ IN CASE WHEN n:Opportunity THEN [1] ELSE [] END |
  REMOVE n:Opportunity SET n:ArchivedOpportunity)
FOREACH (_ IN CASE WHEN n:BusinessEvent THEN [1] ELSE [] END |
  REMOVE n:BusinessEvent SET n:ArchivedBusinessEvent)
FOREACH (_ IN CASE WHEN n:AffinityRule THEN [1] ELSE [] END |
  REMOVE n:AffinityRule SET n:ArchivedAffinityRule)
RETURN properties(n) AS props

// name: restore
MATCH (n:Archived) WHERE elementId(n) = $node
REMOVE n:Archived, n.archivedAt, n.archivedBy, n.archivedReason, n.archivedKind
SET n.version = $version, n.updatedAt = $now
FOREACH (_ IN CASE WHEN n:ArchivedParty THEN [1] ELSE [] END | REMOVE n:ArchivedParty SET n:Party)
FOREACH (_ IN CASE WHEN n:ArchivedPerson THEN [1] ELSE [] END | REMOVE n:ArchivedPerson SET n:Person)
FOREACH (_ IN CASE WHEN n:ArchivedOrganization THEN [1] ELSE [] END |
  REMOVE n:ArchivedOrganization SET n:Organization)
FOREACH (_ IN CASE WHEN n:ArchivedRep THEN [1] ELSE [] END | REMOVE n:ArchivedRep SET n:Rep)
FOREACH (_ IN CASE WHEN n:ArchivedAccountTeam THEN [1] ELSE [] END |
  REMOVE n:ArchivedAccountTeam SET n:AccountTeam)
FOREACH (_ IN CASE WHEN n:ArchivedProduct THEN [1] ELSE [] END | REMOVE n:ArchivedProduct SET n:Product)
FOREACH (_ IN CASE WHEN n:ArchivedOpportunity THEN [1] ELSE [] END |
  REMOVE n:ArchivedOpportunity SET n:Opportunity)
FOREACH (_ IN CASE WHEN n:ArchivedBusinessEvent THEN [1] ELSE [] END |
  REMOVE n:ArchivedBusinessEvent SET n:BusinessEvent)
FOREACH (_ IN CASE WHEN n:ArchivedAffinityRule THEN [1] ELSE [] END |
  REMOVE n:ArchivedAffinityRule SET n:AffinityRule)
RETURN properties(n) AS props

// name: resolve
// What ids that no live party has are ($requests: [{id, query}], query: the id escaped for
// Lucene): the id of a party merged into a live one (whose mergedIds hold it), or an archived
// party (when, why). Ids that are neither are left out.
UNWIND $requests AS req
CALL (req) {
  CALL db.index.fulltext.queryNodes('party_merged_ids', req.query) YIELD node
  WITH node WHERE req.id IN node.mergedIds AND node:Party
  RETURN collect(node.id)[0] AS survivorId
}
OPTIONAL MATCH (a:ArchivedParty {id: req.id})
WITH req, survivorId, a WHERE survivorId IS NOT NULL OR a IS NOT NULL
RETURN req.id AS id, survivorId IS NOT NULL AS merged, a.archivedAt AS archivedAt,
       a.archivedReason AS reason, survivorId

// ----- merging two parties -----

// name: merge_links
// Every link of the merged party (any type, either direction), with, for each, the
// survivor's link of the same type to the same node (`duplicate`: either direction for the
// $undirected types) and, for the $single types (one per party: an organization's parent),
// the survivor's own (`taken`).
MATCH (m) WHERE elementId(m) = $merged
MATCH (s) WHERE elementId(s) = $survivor
MATCH (m)-[r]-(x)
WITH s, r, x, startNode(r) = m AS outgoing
RETURN elementId(r) AS rel, type(r) AS type, outgoing, elementId(x) AS other,
       x.id AS otherId, x:Rep AS otherRep, x = s AS toSurvivor, properties(r) AS props,
       [(s)-[d]-(x) WHERE type(d) = type(r)
          AND (type(r) IN $undirected OR (startNode(d) = s) = outgoing)
          // a closed period (only those have validTo) is the same link only if it ended the
          // same day
          AND (r.validTo IS NULL OR d.validTo = r.validTo)
        | {rel: elementId(d), props: properties(d)}][0] AS duplicate,
       CASE WHEN outgoing AND type(r) IN $single
            THEN [(s)-[d]->(y) WHERE type(d) = type(r) | elementId(d)][0] END AS taken

// name: merge_apply
// $updates: the survivor's links that absorb a duplicate ({rel, props}); $moves: the merged
// party's links made again on the survivor ({type, outgoing, other, props}); then every link
// of the merged party goes. Relationship types are dynamic (Neo4j 5.26+): any type moves,
// including those this query does not know of.
MATCH (s) WHERE elementId(s) = $survivor
MATCH (m) WHERE elementId(m) = $merged
CALL (s) {
  UNWIND $updates AS u
  MATCH ()-[d]->() WHERE elementId(d) = u.rel
  SET d = u.props
}
CALL (s) {
  UNWIND $moves AS mv
  MATCH (x) WHERE elementId(x) = mv.other
  CALL (s, x, mv) {
    WITH s, x, mv WHERE mv.outgoing
    CREATE (s)-[r:$(mv.type)]->(x)
    SET r = mv.props
  }
  CALL (s, x, mv) {
    WITH s, x, mv WHERE NOT mv.outgoing
    CREATE (x)-[r:$(mv.type)]->(s)
    SET r = mv.props
  }
}
CALL (m) {
  MATCH (m)-[r]-()
  DELETE r
}
RETURN count(*) AS done

// name: merge_cycles
// Whether the moved links closed a reporting or PART_OF cycle through the survivor.
MATCH (s) WHERE elementId(s) = $survivor
RETURN EXISTS { MATCH (s)-[:REPORTS_TO*1..]->(s) } AS reporting,
       EXISTS { MATCH (s)-[:PART_OF*1..]->(s) } AS parent

// name: merge_survivor
// The survivor's filled fields and version; a person's searchTitles follow the jobs moved
// to them (as write.employment_put keeps them).
MATCH (s) WHERE elementId(s) = $survivor
SET s += $props, s.version = $version, s.updatedAt = $now
WITH s
CALL (s) {
  WITH s AS p WHERE p:Person
  CALL (p) {
    MATCH (p)-[w:WORKS_FOR]->(:Organization)
    WITH trim(coalesce(w.title, '') + ' ' + coalesce(w.department, '')) AS t ORDER BY t
    RETURN collect(t) AS titles
  }
  SET p.searchTitles = titles
}
RETURN properties(s) AS props

// name: drop_merged
// The merged party, its links gone: its id lives on in the survivor's mergedIds.
MATCH (m) WHERE elementId(m) = $merged
DETACH DELETE m

// ----- erasing a person's personal data -----

// name: erase_person
// $props: the personal fields as null (removed), the placeholder name, version, updatedAt,
// erasedAt. The person's private links ($private types, either direction: family,
// acquaintance, being a beneficiary) and the beneficiaries of their policies go; their
// policies' references, the notes of their interactions and of their buying-centre roles go.
// Holdings, jobs, reporting lines, roles and coverage stay: the organizations' record and the
// statistics.
MATCH (p) WHERE elementId(p) = $node
SET p += $props
WITH p
CALL (p) {
  OPTIONAL MATCH (p)-[r]-() WHERE type(r) IN $private
  DELETE r
  RETURN count(r) AS privateLinks
}
CALL (p) {
  OPTIONAL MATCH (p)-[:HOLDS]->(:Holding)<-[b]-() WHERE type(b) IN $private
  DELETE b
  RETURN count(b) AS beneficiaries
}
CALL (p) {
  MATCH (p)-[:HOLDS]->(h:Holding)
  SET h.reference = null
}
CALL (p) {
  MATCH (i:Interaction)-[:WITH]->(p)
  SET i.subject = null, i.summary = null
}
CALL (p) {
  MATCH (p)-[r:BUYING_ROLE]->()
  SET r.note = null
}
RETURN properties(p) AS props, privateLinks + beneficiaries AS removed

// name: erase_trail
// The audit entries filed under the person and the changes of the feed naming them, with
// their recorded values (services/writes.py blanks the personal ones).
MATCH (p) WHERE elementId(p) = $node
CALL (p) {
  MATCH (a:AuditEntry)-[:CONCERNS]->(p)
  RETURN collect({node: elementId(a), entity: a.entity, key: a.key, changes: a.changes}) AS audit
}
CALL () {
  MATCH (c:Change) WHERE $id IN c.partyIds AND c.changes <> '[]'
  RETURN collect({node: elementId(c), type: c.type, key: c.key, changes: c.changes}) AS feed
}
RETURN audit, feed

// name: erase_values
UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.node
SET n.changes = row.changes

// name: erase_answers
// Recorded answers of idempotency keys that hold the person (a retry of those requests then
// runs again, as after the keys' retention).
MATCH (k:IdempotencyKey) WHERE k.answer CONTAINS $needle
DETACH DELETE k
RETURN count(*) AS deleted

// name: archived
// The archived nodes (admins: what can be restored), the latest archived first, then by id;
// after the cursor ($at: the last one's archivedAt as an ISO string, $id: its id; both null on
// the first page). $kinds: the EntityKind names to list (null: every kind). The range index
// archived_at gives the order; a page reads its rows and one more. Admins only (the service
// refuses anyone else); parties beyond $visible are left out all the same.
MATCH (n:Archived)
WHERE n.archivedAt IS NOT NULL
  AND ($visible IS NULL OR NOT n:ArchivedParty OR n.id IN $visible)
  AND ($kinds IS NULL OR n.archivedKind IN $kinds)
  AND ($at IS NULL OR n.archivedAt < datetime($at)
       OR (n.archivedAt = datetime($at) AND n.id > $id))
RETURN n.id AS id, n.archivedKind AS kind, coalesce(n.name, n.title, n.reason) AS label,
       n.archivedAt AS archivedAt, n.archivedBy AS archivedBy, n.archivedReason AS reason,
       n.version AS version
ORDER BY archivedAt DESC, id
LIMIT $first + 1

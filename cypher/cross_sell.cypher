// Cross-selling: one party's bounded neighbourhood, and the co-holding statistics behind
// SIMILAR_CUSTOMERS and POPULARITY (docs/CROSS_SELL.md). A holding counts unless CLOSED.

// name: neighbourhood
// History (store/projection.py): the as-of variant (`neighbourhood_asof`, $asOf) takes the
// family and the jobs valid that day; holdings and their status are today's.
// Everything one request needs, in one round trip. Every list is capped by a parameter, and
// the statistics are read for the party's own products only: the cost follows the size of
// the neighbourhood and the product catalogue, never the number of parties.
MATCH (p:Party {id: $partyId})
WITH p, CASE WHEN p:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind
WITH p, kind,
  [(p)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product) |
    {status: h.status, product: prod {.id, .name, .category, .line, .segment}}] AS holdings,
  COLLECT {
    MATCH (p)-[f:{{REL FAMILY}}]-(r:Person) {{WHERE_AT f}}
    RETURN {id: r.id, name: r.name, kind: f.kind, outgoing: startNode(f) = p,
      holdings: [(r)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product) |
        {status: h.status, product: prod {.id, .name, .category, .line, .segment}}]}
    LIMIT $maxRelatives
  } AS family,
  COLLECT {
    MATCH (p)-[w:{{REL WORKS_FOR}}]->(o:Organization) {{WHERE_AT w}}
    RETURN {id: o.id, name: o.name, orgType: o.orgType, title: w.title, primary: w.primary,
      holdings: [(o)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product) |
        {status: h.status, product: prod {.id, .name, .category, .line, .segment}}]}
    LIMIT $maxEmployers
  } AS employers,
  COLLECT {
    MATCH (e:Person)-[w:{{REL WORKS_FOR}}]->(p)
    WHERE EXISTS { (e)-[:HOLDS]->(:Holding) } {{AND_AT w}}
    RETURN {id: e.id, name: e.name, occupation: e.occupation, title: w.title,
      primary: w.primary,
      holdings: [(e)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product) |
        {status: h.status, product: prod {.id, .name, .category, .line, .segment}}]}
    LIMIT $maxEmployees
  } AS employees,
  COLLECT {
    // The group: organizations up to 4 PART_OF hops away (Weights.group_max_hops), nearest
    // first. PART_OF forms a tree, so each has one path; its links give the drawn route.
    MATCH path = (p)-[:PART_OF*1..4]-(o:Organization)
    WHERE all(x IN nodes(path) WHERE NOT x:Archived)
    WITH o, path
    ORDER BY length(path), o.id
    LIMIT $maxGroup
    RETURN {id: o.id, name: o.name, orgType: o.orgType,
      links: [r IN relationships(path) | [startNode(r).id, endNode(r).id]],
      holdings: [(o)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product) |
        {status: h.status, product: prod {.id, .name, .category, .line, .segment}}]}
  } AS group,
  COLLECT {
    MATCH (p)-[:HAS_EVENT]->(e:BusinessEvent)
    RETURN e {.id, .kind, .title, .date}
    ORDER BY e.date DESC LIMIT $maxEvents
  } AS events,
  COLLECT {
    MATCH (o:Opportunity)-[:FOR_ACCOUNT]->(p)
    WHERE NOT coalesce(o.stage, '') IN ['WON', 'LOST']
    RETURN {id: o.id, name: o.name, stage: o.stage,
      products: [(o)-[:INCLUDES]->(prod:Product) |
        prod {.id, .name, .category, .line, .segment}]}
    ORDER BY o.closeDate LIMIT $maxOpportunities
  } AS opportunities
WITH p, kind, holdings, family, employers, employees, group, events, opportunities,
  [h IN holdings WHERE coalesce(h.status, 'ACTIVE') <> 'CLOSED' | h.product.id] AS ownIds
WITH p, kind, holdings, family, employers, employees, group, events, opportunities, ownIds,
  ownIds
  + reduce(acc = [], e IN employers + employees |
      acc + [h IN e.holdings WHERE coalesce(h.status, 'ACTIVE') <> 'CLOSED' | h.product.id])
  AS triggerIds
RETURN p.id AS id, kind, p.name AS name, p.orgType AS orgType, p.occupation AS occupation,
  holdings, family, employers, employees, group, events, opportunities,
  COLLECT {
    MATCH (t:Product)<-[:WHEN_HOLDS]-(r:AffinityRule)
    WHERE t.id IN triggerIds
    RETURN DISTINCT {id: r.id, reason: r.reason, weight: r.weight, whenProductId: t.id,
      whenEventKind: null,
      suggests: [(r)-[:SUGGESTS]->(s:Product) | s {.id, .name, .category, .line, .segment}]}
  } + COLLECT {
    MATCH (r:AffinityRule)
    WHERE r.whenEventKind IN [e IN events | e.kind]
    RETURN {id: r.id, reason: r.reason, weight: r.weight, whenProductId: null,
      whenEventKind: r.whenEventKind,
      suggests: [(r)-[:SUGGESTS]->(s:Product) | s {.id, .name, .category, .line, .segment}]}
  } AS rules,
  COLLECT {
    MATCH (a:Product)-[c:CO_HELD]->(b:Product)
    WHERE a.id IN ownIds AND c.lift > $minLift
    RETURN {antecedent: a.id, pairCount: c.pairCount, support: c.support,
      confidence: c.confidence, lift: c.lift,
      product: b {.id, .name, .category, .line, .segment}}
  } AS coHeld,
  COLLECT {
    MATCH (prod:Product)
    WHERE prod.line IN $linkageLines
    RETURN prod {.id, .name, .category, .line, .segment}
  } AS linkageProducts,
  COLLECT {
    MATCH (s:CoHoldingStats {id: 'current'})
    RETURN s {.refreshedAt, .people, .organizations}
  } AS stats,
  COLLECT {
    MATCH (:CoHoldingStats {id: 'current'})-[c:COUNTS]->(prod:Product)
    WITH c, prod, CASE kind WHEN 'PERSON' THEN c.people ELSE c.organizations END AS n
    WHERE n > 0
    RETURN {people: c.people, organizations: c.organizations,
      product: prod {.id, .name, .category, .line, .segment}}
    ORDER BY n DESC, prod.id LIMIT $popular
  } AS popular

// name: lock_stats
// A refresh locks the statistics before it reads the holdings (services/co_holding.py).
MERGE (s:CoHoldingStats {id: 'current'})
SET s._lock = true REMOVE s._lock

// name: holders
// Customers (parties with a holding that is not closed) and, per product, its holders by kind.
MATCH (party:Party)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product)
WHERE coalesce(h.status, 'ACTIVE') <> 'CLOSED'
WITH DISTINCT party, prod
RETURN prod.id AS product,
  count(CASE WHEN party:Person THEN 1 END) AS people,
  count(CASE WHEN party:Person THEN null ELSE 1 END) AS organizations

// name: customers
MATCH (party:Party)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(:Product)
WHERE coalesce(h.status, 'ACTIVE') <> 'CLOSED'
WITH DISTINCT party
RETURN count(CASE WHEN party:Person THEN 1 END) AS people,
  count(CASE WHEN party:Person THEN null ELSE 1 END) AS organizations

// name: pairs
// Customers holding both products of a pair, each unordered pair once (a < b).
MATCH (party:Party)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product)
WHERE coalesce(h.status, 'ACTIVE') <> 'CLOSED'
WITH party, collect(DISTINCT prod.id) AS products
WHERE size(products) > 1
UNWIND products AS a
UNWIND products AS b
WITH a, b
WHERE a < b
RETURN a, b, count(*) AS pairs

// name: replace_stats
// Swaps the old statistics for the new ones (run in the same transaction as the reads).
MERGE (s:CoHoldingStats {id: 'current'})
SET s.refreshedAt = $now, s.people = $people, s.organizations = $organizations,
  s.products = size($counts), s.associations = size($associations), s.seconds = $seconds
WITH s
CALL (s) {
  MATCH (s)-[c:COUNTS]->()
  DELETE c
}
CALL () {
  MATCH (:Product)-[c:CO_HELD]->(:Product)
  DELETE c
}
CALL (s) {
  UNWIND $counts AS row
  MATCH (prod:Product {id: row.product})
  CREATE (s)-[:COUNTS {people: row.people, organizations: row.organizations}]->(prod)
}
CALL () {
  UNWIND $associations AS row
  MATCH (a:Product {id: row.antecedent}), (b:Product {id: row.consequent})
  CREATE (a)-[:CO_HELD {pairCount: row.pairCount, support: row.support,
    confidence: row.confidence, lift: row.lift}]->(b)
}
RETURN s.refreshedAt AS refreshedAt

// name: party_products
// The products each party holds in a holding that is not closed (what the statistics count of
// it), read under a lock on the party so that two writes to one party's holdings count in turn.
UNWIND $ids AS id
MATCH (party:Party {id: id})
SET party._lock = true REMOVE party._lock
RETURN party.id AS id, party:Person AS person,
  COLLECT {
    MATCH (party)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product)
    WHERE coalesce(h.status, 'ACTIVE') <> 'CLOSED'
    RETURN DISTINCT prod.id
  } AS products

// name: current_stats
// The statistics as stored, under a lock on their node (writes that change them take turns):
// what an incremental update adds its changes to. Bounded by the catalogue, not the parties.
MATCH (s:CoHoldingStats {id: 'current'})
SET s._lock = true REMOVE s._lock
RETURN s.people AS people, s.organizations AS organizations,
  COLLECT {
    MATCH (s)-[c:COUNTS]->(prod:Product)
    RETURN {product: prod.id, people: c.people, organizations: c.organizations}
  } AS counts,
  COLLECT {
    MATCH (a:Product)-[c:CO_HELD]->(b:Product)
    WHERE a.id < b.id
    RETURN {a: a.id, b: b.id, pairs: c.pairCount}
  } AS pairs

// Account economics (issue 18.3): the figures of one account and of its group below it.

// name: account
// $accountId: the account (organization or person); $includeSubsidiaries: also the
// organizations below it (PART_OF, any depth). No row when the viewer may not see it.
// units: [id, BP, revenue, shareOfWallet] of each organization counted (the account first);
// people: [person id, unit id, covered] per employment in them; opportunities: [id, unit id,
// stage, amount] of each opportunity for one of them. Only what the viewer may see.
MATCH (a:Party {id: $accountId})
WHERE $visible IS NULL OR a.id IN $visible
CALL (a) {
  OPTIONAL MATCH chain = (u:Organization)-[:PART_OF*0..]->(a)
  WHERE all(x IN nodes(chain) WHERE NOT x:Archived) AND ($includeSubsidiaries OR u = a) AND ($visible IS NULL OR u.id IN $visible)
  WITH u ORDER BY u = a DESC, u.id
  RETURN collect(u) AS units
}
CALL (units) {
  UNWIND units AS u
  MATCH (p:Person)-[:WORKS_FOR]->(u)
  WHERE $visible IS NULL OR p.id IN $visible
  RETURN collect([p.id, u.id, EXISTS { (:Rep)-[:COVERS]->(p) }]) AS people
}
CALL (a, units) {
  UNWIND CASE WHEN a:Person THEN [a] ELSE units END AS u
  MATCH (o:Opportunity)-[:FOR_ACCOUNT]->(u)
  RETURN collect([o.id, u.id, o.stage, o.amount]) AS opportunities
}
RETURN a.id AS accountId, a.name AS accountName, a:Person AS person,
       EXISTS { (:Rep)-[:COVERS]->(a) } AS accountCovered,
       [u IN units | [u.id, u.annualPurchase, u.revenue, u.shareOfWallet]] AS units,
       people, opportunities

// The TAS scorecard and the funnel: an opportunity with its competitors and recorded answers,
// and the opportunities of an account or an account team with the facts their stage's exit
// criteria are checked on. Each reads one account's (or one team's) opportunities only.

// name: opportunity
// No row for an unknown opportunity. holds: the relationships of the competitors in this
// opportunity with customer people (the service keeps those the viewer may see).
MATCH (o:Opportunity {id: $opportunityId})-[:FOR_ACCOUNT]->(a:Party)
CALL (o) {
  OPTIONAL MATCH (c:Competitor)-[r:COMPETES_FOR]->(o)
  WITH c, r ORDER BY c.id
  RETURN collect(CASE WHEN c IS NULL THEN null ELSE
           {id: c.id, name: c.name, aliases: c.aliases, website: c.website, note: c.note,
            shortlisted: r.shortlisted, onOpportunity: r.note} END) AS competitors
}
CALL (o) {
  OPTIONAL MATCH (c:Competitor)-[:COMPETES_FOR]->(o)
  OPTIONAL MATCH (c)-[h:COMPETITOR_COVERS]->(p:Person)
  WITH c, h, p WHERE p IS NOT NULL
  WITH c, h, p ORDER BY c.id, p.id
  RETURN collect({competitorId: c.id, personId: p.id, strength: h.strength,
                  champion: h.champion, note: h.note, createdAt: h.createdAt,
                  updatedAt: h.updatedAt}) AS holds
}
CALL (o) {
  OPTIONAL MATCH (t:TasAnswer)-[:ANSWERS]->(o)
  WITH t ORDER BY t.answeredAt, t.id
  RETURN collect(properties(t)) AS answers
}
RETURN o.id AS id, properties(o) AS props, a.id AS accountId, a.name AS accountName,
       a.tier AS tier, a.annualPurchase AS annualPurchase, a.shareOfWallet AS shareOfWallet,
       competitors, holds, answers

// name: funnel
// $accountId (with $includeSubsidiaries its PART_OF descendants too) or $teamId (the
// accounts the team covers, and theirs). Accounts the viewer may not see are left out
// ($visible), and so are the people marked on them; no row for an unknown (or, for an
// account, invisible) id. opportunities: in id order.
OPTIONAL MATCH (given:Party {id: $accountId})
OPTIONAL MATCH (team:AccountTeam {id: $teamId})
WITH given, team
WHERE (given IS NOT NULL AND ($visible IS NULL OR given.id IN $visible)) OR team IS NOT NULL
CALL (given, team) {
  WITH CASE WHEN given IS NOT NULL THEN [given]
            ELSE [(team)-[:COVERS_ACCOUNT]->(x:Party) | x] END AS roots
  UNWIND roots AS root
  OPTIONAL MATCH chain = (u:Organization)-[:PART_OF*1..10]->(root)
  WHERE $includeSubsidiaries AND all(x IN nodes(chain) WHERE NOT x:Archived)
  WITH root, collect(u) AS below
  UNWIND [root] + below AS a
  WITH DISTINCT a WHERE $visible IS NULL OR a.id IN $visible
  MATCH (o:Opportunity)-[:FOR_ACCOUNT]->(a)
  WITH o, a ORDER BY o.id
  RETURN collect({
    id: o.id, name: o.name, stage: o.stage, amount: o.amount, closeDate: o.closeDate,
    accountId: a.id, accountName: a.name,
    owner: head([(r:Rep)-[:OWNS]->(o) | r {.id, .name, .email, .role, .region}]),
    opportunityMarkers: [(p:Person)-[b:BUYING_ROLE]->(o)
                         WHERE $visible IS NULL OR p.id IN $visible | [p.id, b.role, b.attitude]],
    accountMarkers: [(p:Person)-[b:BUYING_ROLE]->(a)
                     WHERE $visible IS NULL OR p.id IN $visible | [p.id, b.role, b.attitude]],
    interactions: [(i:Interaction)-[:ABOUT]->(o) | [i.kind, i.at]],
    answers: [(t:TasAnswer)-[:ANSWERS]->(o) | [t.question, t.answer, t.answeredAt]],
    competitors: [(c:Competitor)-[r:COMPETES_FOR]->(o) | [c.id, r.shortlisted]]
  }) AS opportunities
}
RETURN coalesce(given.id, team.id) AS id, opportunities

// name: holds
// The competitors' relationships with the given people (org chart and key-decider markers);
// the service keeps the people the viewer may see.
UNWIND $ids AS id
MATCH (c:Competitor)-[h:COMPETITOR_COVERS]->(p:Person {id: id})
RETURN p.id AS personId, properties(c) AS competitor,
       h.strength AS strength, h.champion AS champion, h.note AS note,
       h.createdAt AS createdAt, h.updatedAt AS updatedAt
ORDER BY personId, strength DESC, c.id

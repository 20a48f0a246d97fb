// Key deciders and the TAS assessment: the bounded subgraph of one account or opportunity,
// loaded in one query. Its size grows with the account, never with the database.

// name: scope
// $accountId or $opportunityId (the other null); $includeSubsidiaries: also the people of
// the account's PART_OF descendants. No row when the account or opportunity is unknown.
// people: the account's employees (of its units), anyone marked on the account, a unit or
// the opportunity, and the account itself when it is a person; each with their markers,
// employment in the units and our coverage. reporting: every REPORTS_TO line from these
// people up to the top (managers outside the account fix the levels). influence: every
// INFLUENCES link into these people, with the outside influencers' own details.
OPTIONAL MATCH (opp:Opportunity {id: $opportunityId})-[:FOR_ACCOUNT]->(oppAccount:Party)
OPTIONAL MATCH (given:Party {id: $accountId})
WITH opp, coalesce(oppAccount, given) AS account
WHERE account IS NOT NULL
// family: the account's organization and all its PART_OF descendants (working for one of
// them makes a person internal); units: those whose people are in scope.
CALL (account) {
  OPTIONAL MATCH path = (u:Organization)-[:PART_OF*0..10]->(account)
  WITH u ORDER BY length(path), u.id
  RETURN collect(DISTINCT u) AS family
}
WITH opp, account, family,
     CASE WHEN $includeSubsidiaries THEN family ELSE [u IN family WHERE u = account] END AS units
CALL (account, opp, units) {
  CALL (account, opp, units) {
    UNWIND units AS u
    MATCH (p:Person)-[:WORKS_FOR]->(u)
    RETURN p
    UNION
    UNWIND units AS u
    MATCH (p:Person)-[:BUYING_ROLE]->(u)
    RETURN p
    UNION
    MATCH (p:Person)-[:BUYING_ROLE]->(account)
    RETURN p
    UNION
    MATCH (p:Person)-[:BUYING_ROLE]->(opp)
    RETURN p
    UNION
    WITH account AS p WHERE p:Person
    RETURN p
  }
  RETURN collect(p) AS scope
}
CALL (scope) {
  UNWIND scope AS p
  MATCH (p)-[:REPORTS_TO*0..10]->(a:Person)
  WITH DISTINCT a
  MATCH (a)-[:REPORTS_TO]->(mgr:Person)
  RETURN collect([a.id, mgr.id]) AS reporting, collect(DISTINCT mgr) AS managers
}
CALL (scope, units) {
  UNWIND scope AS p
  MATCH (src:Person)-[i:INFLUENCES]->(p)
  WITH p, src, i, EXISTS { (src)-[:WORKS_FOR]->(o) WHERE o IN units } AS employee
  RETURN collect({from: src.id, to: p.id, strength: i.strength}) AS influence,
         // Influencers who do not work for the account (the few marked but not employed
         // come twice; the caller keeps the scope's copy).
         collect(DISTINCT CASE WHEN NOT employee THEN src END) AS influencers
}
WITH account, opp, family, units, scope, reporting, managers, influence, influencers,
     [u IN units | u.id] AS unitIds, [u IN family | u.id] AS familyIds
RETURN
  account.id AS accountId,
  account.name AS accountName,
  opp.id AS opportunityId,
  [u IN family | {id: u.id, name: u.name, parentId: [(u)-[:PART_OF]->(x) | x.id][0]}] AS units,
  [p IN scope | {
    // The person's fields, not createdAt/updatedAt: decoding 4,000 datetimes costs more
    // than the rest of the answer.
    props: p {.id, .name, .aliases, .gender, .birthDate, .phone, .email, .homeAddress, .city,
      .region, .occupation, .preferredChannel, .preferredTime, .source, .tier, .grade, .confidential,
      .customerSince, .version},
    employment: [(p)-[w:WORKS_FOR]->(o:Organization) WHERE o.id IN familyIds |
      {organizationId: o.id, organizationName: o.name, title: w.title, primary: w.primary}],
    markers: [(p)-[b:BUYING_ROLE]->(t) WHERE t = opp OR t = account OR t.id IN unitIds |
      {targetId: t.id, opportunity: t = opp, role: b.role, attitude: b.attitude,
       influence: b.influence}],
    coverage: [(r:Rep)-[c:COVERS]->(p) |
      {rep: r {.id, .name, .email, .role, .region}, strength: c.strength, kind: c.kind}]
  }] AS people,
  reporting,
  [x IN managers | {id: x.id, name: x.name,
    title: [(x)-[w:WORKS_FOR]->(:Organization) | w.title][0]}] AS managers,
  influence,
  [x IN influencers | {
    props: x {.id, .name, .aliases, .gender, .birthDate, .phone, .email, .homeAddress, .city,
      .region, .occupation, .preferredChannel, .preferredTime, .source, .tier, .grade, .confidential,
      .customerSince, .version},
    employment: [(x)-[w:WORKS_FOR]->(o:Organization) |
      {organizationId: o.id, organizationName: o.name, title: w.title, primary: w.primary}],
    coverage: [(r:Rep)-[c:COVERS]->(x) |
      {rep: r {.id, .name, .email, .role, .region}, strength: c.strength, kind: c.kind}]
  }] AS influencers

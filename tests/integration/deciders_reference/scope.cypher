// $accountId or $opportunityId (the other null); $includeSubsidiaries: also the people of
// the account's PART_OF descendants. No row when the account or opportunity is unknown.
// people: the account's employees (of its units), anyone marked on the account, a unit or
// the opportunity, and the account itself when it is a person; each with their markers,
// employment in the units, our coverage, their managers and who influences them. reporting:
// the REPORTS_TO lines above these people, up to the top (managers outside the account fix
// the levels). influencers: the outside people who influence them, with their own details.
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
// Reporting lines above the scope: from the managers outside it (exits), up to 9 more levels,
// so every line within 10 levels of a person in scope (the scope's own lines come with each
// person). Walking up from every person instead would re-walk the top of the chart 2,000 times.
CALL (scope) {
  UNWIND scope AS p
  MATCH (p)-[:REPORTS_TO]->(x:Person) WHERE NOT x IN scope
  WITH collect(DISTINCT x) AS exits
  CALL (exits) {
    UNWIND exits AS x
    MATCH (x)-[:REPORTS_TO*0..9]->(a:Person)
    WITH DISTINCT a
    MATCH (a)-[:REPORTS_TO]->(mgr:Person)
    RETURN collect([a.id, mgr.id]) AS above, collect(DISTINCT mgr) AS higher
  }
  RETURN above, exits + higher AS managers
}
// Influencers outside the scope (those inside come with their own row).
CALL (scope) {
  UNWIND scope AS p
  MATCH (src:Person)-[:INFLUENCES]->(p) WHERE NOT src IN scope
  RETURN collect(DISTINCT src) AS influencers
}
WITH account, opp, family, units, scope, above, managers, influencers
// Lists, not maps, throughout: the driver decodes a map's keys again in every row, and on a
// 2,000-person account that cost as much as the query. Person fields in the order of
// graph_api/store/projection.py PERSON_FIELDS, but only those the ranking and its explanations
// use (id, name, gender): the others are null here, and `people` below reads them for the
// few people a request returns, when it asks for them. Reading 16 more properties of 2,000
// people was half of this query's time.
RETURN
  account.id AS accountId,
  account.name AS accountName,
  opp.id AS opportunityId,
  $includeSubsidiaries AS includeSubsidiaries,
  // [id, name, parent id]
  [u IN family | [u.id, u.name, [(u)-[:PART_OF]->(x) | x.id][0]]] AS units,
  // [...person fields, links out, links in]. The links come as tagged lists from two
  // comprehensions, one per direction, instead of one comprehension per type: each walks
  // the person's whole relationship chain, and five walks were two thirds of the query.
  // The caller keeps what the per-type patterns would have matched (the target kinds and
  // units below). Out: ['W', organization id, title, primary] (a job),
  // ['B', target id, on the opportunity, on the account, role, attitude, influence] (a
  // marker), ['R', manager id, manager is a person]. In: ['C', rep id, rep is a rep, name,
  // email, role, region, strength, kind] (coverage), ['I', influencer id, is a person,
  // strength].
  [p IN scope | [{{PERSON_ITEMS p: id, name, gender}},
    [(p)-[r:WORKS_FOR|BUYING_ROLE|REPORTS_TO]->(x) | CASE type(r)
      WHEN 'WORKS_FOR' THEN ['W', x.id, r.title, r.primary]
      WHEN 'BUYING_ROLE' THEN ['B', x.id, x = opp, x = account, r.role, r.attitude, r.influence]
      ELSE ['R', x.id, x:Person] END],
    [(x)-[r:COVERS|INFLUENCES]->(p) | CASE type(r)
      WHEN 'COVERS' THEN ['C', x.id, x:Rep, x.name, x.email, x.role, x.region,
                         {{COVERAGE_STRENGTH r: x, p}}, r.kind]
      ELSE ['I', x.id, x:Person, r.strength] END]
  ]] AS people,
  // [person id, manager id] above the scope
  above AS reporting,
  // [id, name, title] of managers outside the scope
  [x IN managers | [x.id, x.name, [(x)-[w:WORKS_FOR]->(:Organization) | w.title][0]]] AS managers,
  // [...person fields, employment [[organization id, name, title, primary]], coverage]
  [x IN influencers | [{{PERSON_ITEMS x: id, name, gender}},
    [(x)-[w:WORKS_FOR]->(o:Organization) | [o.id, o.name, w.title, w.primary]],
    [(r:Rep)-[c:COVERS]->(x) | [r.id, r.name, r.email, r.role, r.region,
                                {{COVERAGE_STRENGTH c: r, x}}, c.kind]]
  ]] AS influencers

// Key deciders and the TAS assessment: the bounded subgraph of one account or opportunity,
// loaded in one query. Its size grows with the account, never with the database.

// name: scope
// History (store/projection.py): the as-of variant (`scope_asof`, $asOf) reads the buying
// centre as it was that day: jobs, lines, markers, coverage and influence valid then.
// $accountId or $opportunityId (the other null); $includeSubsidiaries: also the people of
// the account's PART_OF descendants. accountId is null when the account or opportunity is
// unknown.
// people: the account's employees (of its units), anyone marked on the account, a unit or
// the opportunity, and the account itself when it is a person; each with their markers,
// employment in the units, our coverage, their managers and who influences them. reporting:
// the REPORTS_TO lines above these people, up to the top (managers outside the account fix
// the levels). influencers: the outside people who influence them, with their own details.
// $knownVersion: the graph's version of the analysis the caller keeps for this question (null:
// none). The version is read first; when it equals $knownVersion the row holds only it (the
// kept analysis is current) and nothing else is read; otherwise the subgraph is read after
// it, so it is at least as new as the version returned (services/analysis_cache.py).
OPTIONAL MATCH (gv:GraphVersion {key: 'graph'})
WITH gv.epoch + ':' + toString(gv.n) AS graphVersion
OPTIONAL CALL (graphVersion) {
  WITH graphVersion WHERE $knownVersion IS NULL OR graphVersion IS NULL
    OR graphVersion <> $knownVersion
  OPTIONAL MATCH (opp:Opportunity {id: $opportunityId})-[:FOR_ACCOUNT]->(oppAccount:Party)
  OPTIONAL MATCH (given:Party {id: $accountId})
  WITH opp, coalesce(oppAccount, given) AS account
  WHERE account IS NOT NULL
  // family: the account's organization and all its PART_OF descendants (working for one of
  // them makes a person internal); units: those whose people are in scope.
  CALL (account) {
    OPTIONAL MATCH path = (u:Organization)-[:PART_OF*0..10]->(account)
    WHERE all(x IN nodes(path) WHERE NOT x:Archived)
    WITH u ORDER BY length(path), u.id
    RETURN collect(DISTINCT u) AS family
  }
  WITH opp, account, family,
       CASE WHEN $includeSubsidiaries THEN family ELSE [u IN family WHERE u = account] END AS units
  CALL (account, opp, units) {
    CALL (account, opp, units) {
      UNWIND units AS u
      MATCH (p:Person)-[w:{{REL WORKS_FOR}}]->(u) {{WHERE_AT w}}
      RETURN p
      UNION
      UNWIND units AS u
      MATCH (p:Person)-[b:{{REL BUYING_ROLE}}]->(u) {{WHERE_AT b}}
      RETURN p
      UNION
      MATCH (p:Person)-[b:{{REL BUYING_ROLE}}]->(account) {{WHERE_AT b}}
      RETURN p
      UNION
      MATCH (p:Person)-[b:{{REL BUYING_ROLE}}]->(opp) {{WHERE_AT b}}
      RETURN p
      UNION
      WITH account AS p WHERE p:Person
      RETURN p
    }
    RETURN collect(p) AS scope
  }
  // The scope's own links, in columns: one walk along each person's relationships per direction
  // (each typed pattern would walk the whole chain again), each kind of link split out by CASE
  // inside collect, which drops the nulls of the other kinds. Flat lists of strings and numbers
  // instead of a list per person and per link: the driver decodes them, and Python maps them,
  // at a fraction of the cost. A nullable property goes in as [value] and comes out as value,
  // so that its column stays aligned with the others. The scope's person of a link is given by
  // position in `ids` (i), not by id: no property read per link, and a number to decode
  // (services/deciders.py puts the ids back before anything else reads the row). The same walks
  // find the managers outside the scope (exits) and the influencers outside it: a walk of their
  // own would go along every person's chain of relationships once more.
  CALL (scope, family, account, opp) {
    UNWIND range(0, size(scope) - 1) AS i
    WITH i, scope[i] AS p
    MATCH (p)-[r:{{REL WORKS_FOR|BUYING_ROLE|REPORTS_TO}}]->(x) {{WHERE_AT r}}
    WITH i, r, x, {{TYPE r}} AS t
    WITH i, r, x, t = 'WORKS_FOR' AND x IN family AS job, t = 'REPORTS_TO' AND x:Person AS line,
         t = 'BUYING_ROLE' AS marker
    RETURN
      collect(CASE WHEN job THEN i END) AS jobPeople,
      collect(CASE WHEN job THEN x.id END) AS jobUnits,
      [v IN collect(CASE WHEN job THEN [r.title] END) | v[0]] AS jobTitles,
      [v IN collect(CASE WHEN job THEN [r.primary] END) | v[0]] AS jobPrimary,
      collect(CASE WHEN line THEN i END) AS linePeople,
      collect(CASE WHEN line THEN x.id END) AS lineManagers,
      collect(CASE WHEN marker THEN [i, x.id, x = opp, x = account, r.role, r.attitude,
                                    r.influence] END) AS markers,
      collect(DISTINCT CASE WHEN line AND NOT x IN scope THEN x END) AS exits
  }
  // Reporting lines above the scope: from the managers outside it (exits), up to 9 more levels,
  // so every line within 10 levels of a person in scope (the scope's own lines come with each
  // person). Walking up from every person instead would re-walk the top of the chart 2,000 times.
  CALL (exits) {
    UNWIND exits AS x
    MATCH line = (x)-[ls:{{REL REPORTS_TO}}*0..9]->(a:Person)
    WHERE all(y IN nodes(line) WHERE NOT y:Archived) {{AND_AT_ALL ls}}
    WITH DISTINCT a
    MATCH (a)-[l:{{REL REPORTS_TO}}]->(mgr:Person) {{WHERE_AT l}}
    RETURN collect([a.id, mgr.id]) AS above, collect(DISTINCT mgr) AS higher
  }
  WITH *, exits + higher AS managers
  CALL (scope) {
    UNWIND range(0, size(scope) - 1) AS i
    WITH i, scope[i] AS p
    MATCH (x)-[r:{{REL COVERS|INFLUENCES}}]->(p) {{WHERE_AT r}}
    WITH i, p, r, x, {{TYPE r}} AS t
    WITH i, p, r, x, t = 'INFLUENCES' AND x:Person AS heard, t = 'COVERS' AND x:Rep AS cover
    RETURN
      collect(CASE WHEN heard THEN x.id END) AS influenceFrom,
      collect(CASE WHEN heard THEN i END) AS influenceTo,
      [v IN collect(CASE WHEN heard THEN [r.strength] END) | v[0]] AS influenceStrength,
      collect(CASE WHEN cover THEN [i, x.id, x.name, x.email, x.role, x.region,
                                   {{COVERAGE_STRENGTH r: x, p}}, r.kind] END) AS coverage,
      // Influencers outside the scope (those inside come with their own row).
      collect(DISTINCT CASE WHEN heard AND NOT x IN scope THEN x END) AS influencers
  }
  RETURN
    account.id AS accountId,
    account.name AS accountName,
    opp.id AS opportunityId,
    $includeSubsidiaries AS includeSubsidiaries,
    // [id, name, parent id]
    [u IN family | [u.id, u.name, [(u)-[:PART_OF]->(x) | x.id][0]]] AS units,
    // The scope's people: the person fields the ranking and its explanations use (id, name,
    // gender), one column each; `people` below reads the others for the few people a request
    // returns, when it asks for them.
    [p IN scope | p.id] AS ids,
    [p IN scope | p.name] AS names,
    [p IN scope | p.gender] AS genders,
    // jobs in the account's family [person, unit, title, primary]; reporting lines [person,
    // manager]; markers [person, target, on the opportunity, on the account, role, attitude,
    // influence]; influence [from, to, strength]; coverage [person, rep, name, email, role,
    // region, strength (declared, combined with what interactions earned), kind]; each
    // `person` (jobPeople, linePeople, influenceTo, a marker's and a coverage's first item) by
    // position in `ids`
    jobPeople, jobUnits, jobTitles, jobPrimary,
    linePeople, lineManagers,
    markers,
    influenceFrom, influenceTo, influenceStrength,
    coverage,
    // [person id, manager id] above the scope
    above AS reporting,
    // [id, name, title] of managers outside the scope
    [x IN managers | [x.id, x.name,
      [(x)-[w:{{REL WORKS_FOR}}]->(:Organization) {{WHERE_AT w}} | w.title][0]]] AS managers,
    // [id, name, gender, employment [[organization id, name, title, primary]], coverage]
    [x IN influencers | [x.id, x.name, x.gender,
      [(x)-[w:{{REL WORKS_FOR}}]->(o:Organization) {{WHERE_AT w}} | [o.id, o.name, w.title, w.primary]],
      [(r:Rep)-[c:{{REL COVERS}}]->(x) {{WHERE_AT c}} | [r.id, r.name, r.email, r.role, r.region,
                                   {{COVERAGE_STRENGTH c: r, x}}, c.kind]]
    ]] AS influencers
}
RETURN graphVersion, accountId, accountName, opportunityId, includeSubsidiaries, units, ids,
  names, genders, jobPeople, jobUnits, jobTitles, jobPrimary, linePeople, lineManagers,
  markers, influenceFrom, influenceTo, influenceStrength, coverage, reporting, managers,
  influencers


// name: people
// The full fields (PERSON_FIELDS order, graph_api/store/projection.py) of the people a
// keyDeciders or decisionAssessment answer returns, when the request asks for more than their
// id, name and gender.
UNWIND $ids AS id
MATCH (p:Person {id: id})
RETURN [{{PERSON_ITEMS p}}] AS row

// name: close_date
// The day an opportunity closed (its closeDate, with its stage), for keyDeciders and
// decisionAssessment at its close; kept to the viewer's accounts ($visible).
MATCH (o:Opportunity {id: $opportunityId})-[:FOR_ACCOUNT]->(a:Party)
WHERE $visible IS NULL OR a.id IN $visible
RETURN o.closeDate AS closeDate, o.stage AS stage
LIMIT 1

// The org chart of an organization in one query: its units (itself and, when asked, its
// branches and subsidiaries down to $depth levels) and every person working for a unit,
// with reporting lines, buying-centre markers, our coverage and who influences them.
// Levels inside a unit and the cut at $depth reporting levels are computed by the caller.
// above: the REPORTS_TO lines above the charted people, as keyDeciders loads them (from the
// managers outside the chart, up to 9 more levels), so that a node's level is the level the
// person has in the account whatever the chart's root.

// name: chart
// History (store/projection.py): the as-of variant (`chart_asof`, $asOf) charts the
// organization as it was that day: the jobs, lines, markers, coverage and influence valid then.
MATCH (root:Organization {id: $organizationId})
OPTIONAL MATCH (opp:Opportunity {id: $opportunityId})
CALL (root) {
  MATCH p = (u:Organization)-[:PART_OF*0..]->(root)
  WHERE all(x IN nodes(p) WHERE NOT x:Archived)
    AND (length(p) = 0 OR ($includeSubsidiaries AND length(p) < $depth))
  WITH u, length(p) AS level ORDER BY level, u.name, u.id
  RETURN collect({
    organization: {{ORGANIZATION_FIELDS u}}, level: level,
    parentId: CASE WHEN level = 0 THEN null ELSE [(u)-[:PART_OF]->(x) | x.id][0] END
  }) AS units, collect(u) AS unitNodes
}
CALL (unitNodes, opp) {
  UNWIND unitNodes AS u
  MATCH (p:Person)-[w:{{REL WORKS_FOR}}]->(u) {{WHERE_AT w}}
  // Markers: those on the opportunity when one is given; otherwise those on the person's
  // unit or, failing that, on its nearest ancestor (a group's buying centre covers its
  // departments).
  CALL (p, u, opp) {
    OPTIONAL MATCH path = (u)-[:PART_OF*0..]->(:Organization)<-[b:{{REL BUYING_ROLE}}]-(p)
    WHERE opp IS NULL AND all(x IN nodes(path) WHERE NOT x:Archived) {{AND_AT b}}
    WITH b ORDER BY length(path) LIMIT 1
    RETURN b AS accountMarker
  }
  RETURN collect({
    person: {{PERSON_FIELDS p}}, unitId: u.id, title: w.title, department: w.department,
    primary: w.primary,
    managerIds: [(p)-[l:{{REL REPORTS_TO}}]->(mg:Person) {{WHERE_AT l}} | mg.id],
    marker: CASE
      WHEN opp IS NOT NULL THEN [(p)-[b:{{REL BUYING_ROLE}}]->(opp) {{WHERE_AT b}} |
        {role: b.role, attitude: b.attitude, influence: b.influence}][0]
      WHEN accountMarker IS NOT NULL THEN
        {role: accountMarker.role, attitude: accountMarker.attitude,
         influence: accountMarker.influence}
      ELSE null END,
    coverage: [(r:Rep)-[c:{{REL COVERS}}]->(p) {{WHERE_AT c}} | {rep: r {.id, .name, .email, .role, .region}, strength: {{COVERAGE_STRENGTH c: r, p}}, kind: c.kind,
     createdAt: c.createdAt, updatedAt: c.updatedAt}],
    influencedBy: CASE WHEN $includeInfluence THEN
      [(src:Person)-[infl:{{REL INFLUENCES}}]->(p) {{WHERE_AT infl}} | {
        person: {{PERSON_FIELDS src}}, strength: infl.strength, kind: infl.kind,
        employment: [(src)-[sw:{{REL WORKS_FOR}}]->(so:Organization) {{WHERE_AT sw}} |
          {organization: {{ORGANIZATION_FIELDS so}}, title: sw.title, department: sw.department,
           primary: sw.primary}],
        coverage: [(r:Rep)-[c:{{REL COVERS}}]->(src) {{WHERE_AT c}} |
          {rep: r {.id, .name, .email, .role, .region}, strength: {{COVERAGE_STRENGTH c: r, src}},
           kind: c.kind, createdAt: c.createdAt, updatedAt: c.updatedAt}]
      }]
      ELSE [] END
  }) AS people
}
CALL (unitNodes) {
  UNWIND unitNodes AS u
  MATCH (p:Person)-[w:{{REL WORKS_FOR}}]->(u) {{WHERE_AT w}}
  WITH collect(DISTINCT p) AS charted
  UNWIND charted AS p
  MATCH (p)-[l:{{REL REPORTS_TO}}]->(x:Person) WHERE NOT x IN charted {{AND_AT l}}
  WITH collect(DISTINCT x) AS exits
  CALL (exits) {
    UNWIND exits AS x
    MATCH line = (x)-[ls:{{REL REPORTS_TO}}*0..9]->(a:Person)
    WHERE all(y IN nodes(line) WHERE NOT y:Archived) {{AND_AT_ALL ls}}
    WITH DISTINCT a
    MATCH (a)-[l:{{REL REPORTS_TO}}]->(mgr:Person) {{WHERE_AT l}}
    RETURN collect([a.id, mgr.id]) AS above
  }
  RETURN above
}
RETURN {{ORGANIZATION_FIELDS root}} AS root, opp IS NOT NULL AS opportunityFound,
       [(opp)-[:FOR_ACCOUNT]->(a:Party) | a.id][0] AS opportunityAccountId, units, people, above

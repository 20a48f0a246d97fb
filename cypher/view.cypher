// The unified 360° view: ONE query returns, for each requested party, its properties and
// the parts of the view its request names ($requests: [{id, parts: [...]}]). Each part is a
// CALL subquery guarded by `'part' IN req.parts`, so parts nobody asked for cost nothing,
// and the number of round trips never depends on how many holdings, people or
// interactions a party has. A related party comes back as {props, kind}.
// Nodes come back as explicit map projections, not properties(x): decoding the bookkeeping
// timestamps (createdAt, updatedAt) of every node cost the driver more than the database
// spent on the whole query.

// name: parties
UNWIND $requests AS req
MATCH (n:Party {id: req.id})

// ----- a person's jobs, reporting lines and household -----
CALL (n, req) {
  WITH n, req WHERE 'employments' IN req.parts AND n:Person
  MATCH (n)-[w:WORKS_FOR]->(o:Organization)
  WITH w, o ORDER BY coalesce(w.primary, false) DESC, o.name, o.id
  RETURN collect({
    organization: {{ORGANIZATION_FIELDS o}}, title: w.title, department: w.department,
    since: w.since, primary: w.primary
  }) AS employments
}
CALL (n, req) {
  WITH n, req WHERE 'managers' IN req.parts AND n:Person
  MATCH (n)-[:REPORTS_TO]->(mg:Person)
  WITH mg ORDER BY mg.name, mg.id
  RETURN collect({{PERSON_FIELDS mg}}) AS managers
}
CALL (n, req) {
  WITH n, req WHERE 'directReports' IN req.parts AND n:Person
  MATCH (r:Person)-[:REPORTS_TO]->(n)
  WITH r ORDER BY r.name, r.id
  RETURN collect({{PERSON_FIELDS r}}) AS directReports
}
CALL (n, req) {
  WITH n, req WHERE 'household' IN req.parts AND n:Person
  MATCH (n)-[f:FAMILY]-(mbr:Person)
  // PARENT points from parent to child: seen from the child, the other one is the parent.
  WITH mbr, CASE
      WHEN f.kind = 'PARENT' AND startNode(f) = n THEN 'CHILD'
      WHEN f.kind = 'PARENT' THEN 'PARENT'
      ELSE f.kind END AS relation
  ORDER BY relation, mbr.name, mbr.id
  RETURN collect({person: {{PERSON_FIELDS mbr}}, relation: relation}) AS household
}
CALL (n, req) {
  WITH n, req WHERE 'householdHoldings' IN req.parts AND n:Person
  CALL (n) {
    RETURN n AS holder, null AS relation
    UNION
    MATCH (n)-[f:FAMILY]-(holder:Person)
    RETURN holder, CASE
        WHEN f.kind = 'PARENT' AND startNode(f) = n THEN 'CHILD'
        WHEN f.kind = 'PARENT' THEN 'PARENT'
        ELSE f.kind END AS relation
  }
  // Two links to one relative (e.g. SPOUSE and OTHER) must not list a holding twice.
  WITH holder, head(collect(relation)) AS relation
  MATCH (holder)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product)
  WITH holder, relation, h, prod
  ORDER BY relation IS NOT NULL, holder.name, holder.id, prod.name, h.id
  RETURN collect({
    props: h {.id, .since, .amount, .status}, product: prod {.id, .name, .category, .line, .segment}, relation: relation,
    holder: {props: {{PERSON_FIELDS holder}}, kind: 'PERSON'},
    beneficiaries: [(b:Person)-[bo:BENEFICIARY_OF]->(h) | {person: {{PERSON_FIELDS b}}, share: bo.share}]
  }) AS householdHoldings
}
CALL (n, req) {
  WITH n, req WHERE 'holdings' IN req.parts AND n:Person
  MATCH (n)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product)
  WITH n, h, prod ORDER BY prod.name, h.id
  RETURN collect({
    props: h {.id, .since, .amount, .status}, product: prod {.id, .name, .category, .line, .segment},
    holder: {props: {{PERSON_FIELDS n}}, kind: 'PERSON'},
    beneficiaries: [(b:Person)-[bo:BENEFICIARY_OF]->(h) | {person: {{PERSON_FIELDS b}}, share: bo.share}]
  }) AS holdings
}
CALL (n, req) {
  WITH n, req WHERE 'beneficiaryOf' IN req.parts AND n:Person
  MATCH (n)-[:BENEFICIARY_OF]->(h:Holding)-[:OF_PRODUCT]->(prod:Product)
  MATCH (holder:Party)-[:HOLDS]->(h)
  WITH holder, h, prod ORDER BY prod.name, h.id
  RETURN collect({
    props: h {.id, .since, .amount, .status}, product: prod {.id, .name, .category, .line, .segment},
    holder: {props: {{PARTY_FIELDS holder}}, kind: CASE WHEN holder:Person THEN 'PERSON' ELSE 'ORGANIZATION' END},
    beneficiaries: [(b:Person)-[bo:BENEFICIARY_OF]->(h) | {person: {{PERSON_FIELDS b}}, share: bo.share}]
  }) AS beneficiaryOf
}

// ----- an organization's structure, people, holdings, opportunities, events -----
CALL (n, req) {
  WITH n, req WHERE 'ancestors' IN req.parts AND n:Organization
  MATCH p = (n)-[:PART_OF*1..]->(a:Organization)
  WITH a, length(p) AS distance ORDER BY distance
  RETURN collect({{ORGANIZATION_FIELDS a}}) AS ancestors
}
CALL (n, req) {
  WITH n, req WHERE 'children' IN req.parts AND n:Organization
  MATCH (c:Organization)-[:PART_OF]->(n)
  WITH c ORDER BY c.name, c.id
  RETURN collect({{ORGANIZATION_FIELDS c}}) AS children
}
CALL (n, req) {
  WITH n, req WHERE 'people' IN req.parts AND n:Organization
  MATCH (unit:Organization)-[:PART_OF*0..]->(n) WHERE $peopleSubsidiaries OR unit = n
  MATCH (p:Person)-[w:WORKS_FOR]->(unit)
  // $visible: the viewer's visible party ids (null: all), so totals and pages agree.
  WHERE $visible IS NULL OR (p.id IN $visible AND unit.id IN $visible)
  RETURN count(w) AS peopleTotal
}
CALL (n, req) {
  WITH n, req WHERE 'people' IN req.parts AND n:Organization
  MATCH (unit:Organization)-[:PART_OF*0..]->(n) WHERE $peopleSubsidiaries OR unit = n
  MATCH (p:Person)-[w:WORKS_FOR]->(unit)
  WHERE ($peopleAfter IS NULL OR [p.name, p.id, unit.id] > $peopleAfter)
    AND ($visible IS NULL OR (p.id IN $visible AND unit.id IN $visible))
  WITH p, w, unit ORDER BY p.name, p.id, unit.id LIMIT $peopleFirst + 1
  RETURN collect({
    person: {{PERSON_FIELDS p}}, organization: {{ORGANIZATION_FIELDS unit}}, title: w.title,
    department: w.department, since: w.since, primary: w.primary
  }) AS people
}
CALL (n, req) {
  WITH n, req WHERE 'organizationHoldings' IN req.parts AND n:Organization
  MATCH (unit:Organization)-[:PART_OF*0..]->(n) WHERE $holdingsSubsidiaries OR unit = n
  MATCH (unit)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product)
  WITH unit, h, prod ORDER BY unit <> n, unit.name, unit.id, prod.name, h.id
  RETURN collect({
    props: h {.id, .since, .amount, .status}, product: prod {.id, .name, .category, .line, .segment},
    holder: {props: {{ORGANIZATION_FIELDS unit}}, kind: 'ORGANIZATION'},
    beneficiaries: [(b:Person)-[bo:BENEFICIARY_OF]->(h) | {person: {{PERSON_FIELDS b}}, share: bo.share}]
  }) AS organizationHoldings
}
CALL (n, req) {
  WITH n, req WHERE 'openOpportunities' IN req.parts AND n:Organization
  MATCH (unit:Organization)-[:PART_OF*0..]->(n) WHERE $opportunitiesSubsidiaries OR unit = n
  MATCH (o:Opportunity)-[:FOR_ACCOUNT]->(unit)
  WHERE NOT o.stage IN ['WON', 'LOST']
  WITH unit, o ORDER BY o.closeDate, o.id
  RETURN collect({
    props: o {.id, .name, .stage, .amount, .closeDate},
    account: {props: {{ORGANIZATION_FIELDS unit}}, kind: 'ORGANIZATION'},
    owner: [(r:Rep)-[:OWNS]->(o) | r {.id, .name, .email, .role, .region}][0],
    products: [(o)-[:INCLUDES]->(prod:Product) | prod {.id, .name, .category, .line, .segment}],
    buyingCentre: [(p:Person)-[b:BUYING_ROLE]->(o) |
      {person: {{PERSON_FIELDS p}}, role: b.role, attitude: b.attitude, influence: b.influence}]
  }) AS openOpportunities
}
CALL (n, req) {
  WITH n, req WHERE 'events' IN req.parts
  MATCH (n)-[:HAS_EVENT]->(e:BusinessEvent)
  WITH e ORDER BY e.date DESC, e.id
  RETURN collect(e {.id, .kind, .title, .date, .description}) AS events
}

// ----- for every party: interactions, signals, coverage, relationships, account teams -----
CALL (n, req) {
  WITH n, req WHERE 'interactions' IN req.parts
  // An aggregate, so that the subquery answers one row even when the part is not asked.
  MATCH (n)<-[:WITH]-(i:Interaction)
  RETURN count(i) AS interactionsTotal
}
CALL (n, req) {
  WITH n, req WHERE 'interactions' IN req.parts
  MATCH (i:Interaction)-[:WITH]->(n)
  WHERE $interactionsAfterAt IS NULL OR i.at < $interactionsAfterAt
     OR (i.at = $interactionsAfterAt AND i.id > $interactionsAfterId)
  WITH i ORDER BY i.at DESC, i.id LIMIT $interactionsFirst + 1
  RETURN collect({
    props: i {.id, .kind, .at, .direction, .purpose, .channel, .subject, .summary},
    reps: [(r:Rep)-[:CONDUCTED]->(i) | r {.id, .name, .email, .role, .region}],
    opportunity: [(i)-[:ABOUT]->(o:Opportunity) |
      o {.id, .name, .stage, accountId: [(o)-[:FOR_ACCOUNT]->(a) | a.id][0]}][0]
  }) AS interactions
}
CALL (n, req) {
  WITH n, req WHERE 'signals' IN req.parts
  MATCH (i:Interaction)-[:WITH]->(n) WHERE i.at < $signalsBefore
  // Not max(i.at): on Neo4j 5.26, max() over a range-filtered property in a guarded
  // subquery that matches nothing turns the outer `n` into null (a planner bug).
  WITH i ORDER BY i.at DESC LIMIT 1
  RETURN collect(i.at)[0] AS lastInteractionAt
}
CALL (n, req) {
  WITH n, req WHERE 'coverage' IN req.parts
  MATCH (r:Rep)-[c:COVERS]->(n)
  // The declared strength combined with what interactions earned (docs/ANALYTICS.md).
  WITH r, c, {{COVERAGE_STRENGTH c: r, n}} AS strength
  ORDER BY strength DESC, r.id
  RETURN collect({rep: r {.id, .name, .email, .role, .region}, strength: strength, kind: c.kind}) AS coverage
}
CALL (n, req) {
  WITH n, req WHERE 'relationships' IN req.parts
  MATCH (n)-[r:INFLUENCES|KNOWS]-(o:Party)
  WITH n, r, o ORDER BY type(r), r.strength DESC, o.id
  RETURN collect({
    type: type(r), outgoing: startNode(r) = n, strength: r.strength, kind: r.kind,
    context: r.context,
    party: {props: {{PARTY_FIELDS o}}, kind: CASE WHEN o:Person THEN 'PERSON' ELSE 'ORGANIZATION' END}
  }) AS relationships
}
CALL (n, req) {
  WITH n, req WHERE 'accountTeams' IN req.parts
  // A team covering an ancestor (the group) covers its branches too; the nearest wins.
  MATCH p = (n)-[:PART_OF*0..]->(acct:Party)<-[:COVERS_ACCOUNT]-(t:AccountTeam)
  WITH t, acct, length(p) AS distance ORDER BY distance, t.id
  WITH t, head(collect(acct)) AS acct, min(distance) AS distance
  ORDER BY distance, t.name, t.id
  RETURN collect({
    props: t {.id, .name},
    account: {props: {{PARTY_FIELDS acct}}, kind: CASE WHEN acct:Person THEN 'PERSON' ELSE 'ORGANIZATION' END},
    manager: [(mg:Rep)-[:MANAGES]->(t) | mg {.id, .name, .email, .role, .region}][0],
    members: [(r:Rep)-[m:MEMBER_OF]->(t) | {rep: r {.id, .name, .email, .role, .region}, role: m.role}]
  }) AS accountTeams
}
RETURN n.id AS id, {{PARTY_FIELDS n}} AS props,
       CASE WHEN n:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       employments, managers, directReports, household, householdHoldings, holdings,
       beneficiaryOf, ancestors, children, peopleTotal, people, organizationHoldings,
       openOpportunities, events, interactionsTotal, interactions, lastInteractionAt, coverage,
       relationships, accountTeams

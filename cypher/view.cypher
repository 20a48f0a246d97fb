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
  MATCH (n)-[w:{{REL WORKS_FOR}}]->(o:Organization) {{WHERE_AT w}}
  WITH w, o ORDER BY coalesce(w.primary, false) DESC, o.name, o.id
  RETURN collect({
    organization: {{ORGANIZATION_VIEW o}}, title: w.title, department: w.department,
    since: w.since, primary: w.primary, {{STAMPS w}}
  }) AS employments
}
CALL (n, req) {
  WITH n, req WHERE 'managers' IN req.parts AND n:Person
  MATCH (n)-[l:{{REL REPORTS_TO}}]->(mg:Person) {{WHERE_AT l}}
  WITH mg ORDER BY mg.name, mg.id
  RETURN collect({{PERSON_VIEW mg}}) AS managers
}
CALL (n, req) {
  WITH n, req WHERE 'directReports' IN req.parts AND n:Person
  MATCH (r:Person)-[l:{{REL REPORTS_TO}}]->(n) {{WHERE_AT l}}
  WITH r ORDER BY r.name, r.id
  RETURN collect({{PERSON_VIEW r}}) AS directReports
}
CALL (n, req) {
  WITH n, req WHERE 'household' IN req.parts AND n:Person
  MATCH (n)-[f:{{REL FAMILY}}]-(mbr:Person) {{WHERE_AT f}}
  // PARENT points from parent to child: seen from the child, the other one is the parent.
  WITH mbr, f, CASE
      WHEN f.kind = 'PARENT' AND startNode(f) = n THEN 'CHILD'
      WHEN f.kind = 'PARENT' THEN 'PARENT'
      ELSE f.kind END AS relation
  ORDER BY relation, mbr.name, mbr.id
  RETURN collect({person: {{PERSON_VIEW mbr}}, relation: relation, {{STAMPS f}}}) AS household
}
CALL (n, req) {
  WITH n, req WHERE 'householdHoldings' IN req.parts AND n:Person
  CALL (n) {
    RETURN n AS holder, null AS relation
    UNION
    MATCH (n)-[f:{{REL FAMILY}}]-(holder:Person) {{WHERE_AT f}}
    RETURN holder, CASE
        WHEN f.kind = 'PARENT' AND startNode(f) = n THEN 'CHILD'
        WHEN f.kind = 'PARENT' THEN 'PARENT'
        ELSE f.kind END AS relation
  }
  // Two links to one relative (e.g. SPOUSE and OTHER) must not list a holding twice.
  WITH holder, head(collect(relation)) AS relation
  MATCH (holder)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product) {{WHERE_DAY_AT h: since}}
  WITH holder, relation, h, prod
  ORDER BY relation IS NOT NULL, holder.name, holder.id, prod.name, h.id
  RETURN collect({
    props: h {.id, .since, .amount, .status, {{STAMPS h}}}, product: prod {.id, .name, .category, .line, .segment, {{STAMPS prod}}}, relation: relation,
    holder: {props: {{PERSON_VIEW holder}}, kind: 'PERSON'},
    beneficiaries: [(b:Person)-[bo:BENEFICIARY_OF]->(h) | {person: {{PERSON_VIEW b}}, share: bo.share, {{STAMPS bo}}}]
  }) AS householdHoldings
}
CALL (n, req) {
  WITH n, req WHERE 'holdings' IN req.parts AND n:Person
  MATCH (n)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product) {{WHERE_DAY_AT h: since}}
  WITH n, h, prod ORDER BY prod.name, h.id
  RETURN collect({
    props: h {.id, .since, .amount, .status, {{STAMPS h}}}, product: prod {.id, .name, .category, .line, .segment, {{STAMPS prod}}},
    holder: {props: {{PERSON_VIEW n}}, kind: 'PERSON'},
    beneficiaries: [(b:Person)-[bo:BENEFICIARY_OF]->(h) | {person: {{PERSON_VIEW b}}, share: bo.share, {{STAMPS bo}}}]
  }) AS holdings
}
CALL (n, req) {
  WITH n, req WHERE 'beneficiaryOf' IN req.parts AND n:Person
  MATCH (n)-[:BENEFICIARY_OF]->(h:Holding)-[:OF_PRODUCT]->(prod:Product)
  MATCH (holder:Party)-[:HOLDS]->(h) {{WHERE_DAY_AT h: since}}
  WITH holder, h, prod ORDER BY prod.name, h.id
  RETURN collect({
    props: h {.id, .since, .amount, .status, {{STAMPS h}}}, product: prod {.id, .name, .category, .line, .segment, {{STAMPS prod}}},
    holder: {props: {{PARTY_VIEW holder}}, kind: CASE WHEN holder:Person THEN 'PERSON' ELSE 'ORGANIZATION' END},
    beneficiaries: [(b:Person)-[bo:BENEFICIARY_OF]->(h) | {person: {{PERSON_VIEW b}}, share: bo.share, {{STAMPS bo}}}]
  }) AS beneficiaryOf
}

// ----- an organization's structure, people, holdings, opportunities, events -----
CALL (n, req) {
  WITH n, req WHERE 'ancestors' IN req.parts AND n:Organization
  MATCH p = (n)-[:PART_OF*1..]->(a:Organization)
  WHERE all(x IN nodes(p) WHERE NOT x:Archived)
  WITH a, length(p) AS distance ORDER BY distance
  RETURN collect({{ORGANIZATION_VIEW a}}) AS ancestors
}
CALL (n, req) {
  WITH n, req WHERE 'children' IN req.parts AND n:Organization
  MATCH (c:Organization)-[:PART_OF]->(n)
  WITH c ORDER BY c.name, c.id
  RETURN collect({{ORGANIZATION_VIEW c}}) AS children
}
CALL (n, req) {
  WITH n, req WHERE 'people' IN req.parts AND n:Organization
  MATCH chain = (unit:Organization)-[:PART_OF*0..]->(n)
  WHERE ($peopleSubsidiaries OR unit = n) AND all(x IN nodes(chain) WHERE NOT x:Archived)
  MATCH (p:Person)-[w:{{REL WORKS_FOR}}]->(unit)
  // $visible: the viewer's visible party ids (null: all), so totals and pages agree.
  WHERE ($visible IS NULL OR (p.id IN $visible AND unit.id IN $visible)) {{AND_AT w}}
  RETURN count(w) AS peopleTotal
}
CALL (n, req) {
  WITH n, req WHERE 'people' IN req.parts AND n:Organization
  MATCH chain = (unit:Organization)-[:PART_OF*0..]->(n)
  WHERE ($peopleSubsidiaries OR unit = n) AND all(x IN nodes(chain) WHERE NOT x:Archived)
  MATCH (p:Person)-[w:{{REL WORKS_FOR}}]->(unit)
  WHERE ($peopleAfter IS NULL OR [p.name, p.id, unit.id] > $peopleAfter)
    AND ($visible IS NULL OR (p.id IN $visible AND unit.id IN $visible)) {{AND_AT w}}
  WITH p, w, unit ORDER BY p.name, p.id, unit.id LIMIT $peopleFirst + 1
  RETURN collect({
    person: {{PERSON_VIEW p}}, organization: {{ORGANIZATION_VIEW unit}}, title: w.title,
    department: w.department, since: w.since, primary: w.primary, {{STAMPS w}}
  }) AS people
}
CALL (n, req) {
  WITH n, req WHERE 'organizationHoldings' IN req.parts AND n:Organization
  MATCH chain = (unit:Organization)-[:PART_OF*0..]->(n)
  WHERE ($holdingsSubsidiaries OR unit = n) AND all(x IN nodes(chain) WHERE NOT x:Archived)
  MATCH (unit)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product) {{WHERE_DAY_AT h: since}}
  WITH unit, h, prod ORDER BY unit <> n, unit.name, unit.id, prod.name, h.id
  RETURN collect({
    props: h {.id, .since, .amount, .status, {{STAMPS h}}}, product: prod {.id, .name, .category, .line, .segment, {{STAMPS prod}}},
    holder: {props: {{ORGANIZATION_VIEW unit}}, kind: 'ORGANIZATION'},
    beneficiaries: [(b:Person)-[bo:BENEFICIARY_OF]->(h) | {person: {{PERSON_VIEW b}}, share: bo.share, {{STAMPS bo}}}]
  }) AS organizationHoldings
}
CALL (n, req) {
  WITH n, req WHERE 'openOpportunities' IN req.parts AND n:Organization
  MATCH chain = (unit:Organization)-[:PART_OF*0..]->(n)
  WHERE ($opportunitiesSubsidiaries OR unit = n) AND all(x IN nodes(chain) WHERE NOT x:Archived)
  MATCH (o:Opportunity)-[:FOR_ACCOUNT]->(unit)
  WHERE NOT o.stage IN ['WON', 'LOST']
  WITH unit, o ORDER BY o.closeDate, o.id
  RETURN collect({
    props: o {.id, .name, .stage, .amount, .closeDate, {{STAMPS o}}},
    account: {props: {{ORGANIZATION_VIEW unit}}, kind: 'ORGANIZATION'},
    owner: [(r:Rep)-[:OWNS]->(o) | r {.id, .name, .email, .role, .region, {{STAMPS r}}}][0],
    products: [(o)-[:INCLUDES]->(prod:Product) | prod {.id, .name, .category, .line, .segment, {{STAMPS prod}}}],
    buyingCentre: [(p:Person)-[b:{{REL BUYING_ROLE}}]->(o) {{WHERE_AT b}} |
      {person: {{PERSON_VIEW p}}, role: b.role, attitude: b.attitude, influence: b.influence, {{STAMPS b}}}]
  }) AS openOpportunities
}
CALL (n, req) {
  WITH n, req WHERE 'events' IN req.parts
  MATCH (n)-[:HAS_EVENT]->(e:BusinessEvent) {{WHERE_DAY_AT e: date}}
  WITH e ORDER BY e.date DESC, e.id
  RETURN collect(e {.id, .kind, .title, .date, .description, {{STAMPS e}}}) AS events
}

// ----- for every party: interactions, signals, coverage, relationships, account teams -----
CALL (n, req) {
  WITH n, req WHERE 'interactions' IN req.parts
  // An aggregate, so that the subquery answers one row even when the part is not asked.
  MATCH (n)<-[:WITH]-(i:Interaction) {{WHERE_TIME_AT i: at}}
  RETURN count(i) AS interactionsTotal
}
CALL (n, req) {
  WITH n, req WHERE 'interactions' IN req.parts
  MATCH (i:Interaction)-[:WITH]->(n)
  WHERE ($interactionsAfterAt IS NULL OR i.at < $interactionsAfterAt
     OR (i.at = $interactionsAfterAt AND i.id > $interactionsAfterId)) {{AND_TIME_AT i: at}}
  WITH i ORDER BY i.at DESC, i.id LIMIT $interactionsFirst + 1
  RETURN collect({
    props: i {.id, .kind, .at, .direction, .purpose, .channel, .subject, .summary, {{STAMPS i}}},
    reps: [(r:Rep)-[:CONDUCTED]->(i) | r {.id, .name, .email, .role, .region, {{STAMPS r}}}],
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
  MATCH (r:Rep)-[c:{{REL COVERS}}]->(n) {{WHERE_AT c}}
  // The declared strength combined with what interactions earned (docs/ANALYTICS.md).
  WITH r, c, {{COVERAGE_STRENGTH c: r, n}} AS strength
  ORDER BY strength DESC, r.id
  RETURN collect({rep: r {.id, .name, .email, .role, .region, {{STAMPS r}}}, strength: strength, kind: c.kind, {{STAMPS c}}}) AS coverage
}
CALL (n, req) {
  WITH n, req WHERE 'relationships' IN req.parts
  MATCH (n)-[r:{{REL INFLUENCES|KNOWS}}]-(o:Party) {{WHERE_AT r}}
  WITH n, r, o ORDER BY {{TYPE r}}, r.strength DESC, o.id
  RETURN collect({
    type: {{TYPE r}}, outgoing: startNode(r) = n, strength: r.strength, kind: r.kind,
    context: r.context, {{STAMPS r}},
    party: {props: {{PARTY_VIEW o}}, kind: CASE WHEN o:Person THEN 'PERSON' ELSE 'ORGANIZATION' END}
  }) AS relationships
}
CALL (n, req) {
  WITH n, req WHERE 'accountTeams' IN req.parts
  // A team covering an ancestor (the group) covers its branches too; the nearest wins.
  MATCH p = (n)-[:PART_OF*0..]->(acct:Party)<-[ca:{{REL COVERS_ACCOUNT}}]-(t:AccountTeam)
  WHERE all(x IN nodes(p) WHERE NOT x:Archived) {{AND_AT ca}}
  WITH t, acct, length(p) AS distance ORDER BY distance, t.id
  WITH t, head(collect(acct)) AS acct, min(distance) AS distance
  ORDER BY distance, t.name, t.id
  RETURN collect({
    props: t {.id, .name, {{STAMPS t}}},
    account: {props: {{PARTY_VIEW acct}}, kind: CASE WHEN acct:Person THEN 'PERSON' ELSE 'ORGANIZATION' END},
    manager: [(mg:Rep)-[:MANAGES]->(t) | mg {.id, .name, .email, .role, .region, {{STAMPS mg}}}][0],
    members: [(r:Rep)-[m:{{REL MEMBER_OF}}]->(t) {{WHERE_AT m}} | {rep: r {.id, .name, .email, .role, .region, {{STAMPS r}}}, role: m.role, {{STAMPS m}}}]
  }) AS accountTeams
}
RETURN n.id AS id, {{PARTY_VIEW n}} AS props,
       CASE WHEN n:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       employments, managers, directReports, household, householdHoldings, holdings,
       beneficiaryOf, ancestors, children, peopleTotal, people, organizationHoldings,
       openOpportunities, events, interactionsTotal, interactions, lastInteractionAt, coverage,
       relationships, accountTeams


// name: stamps
// The bookkeeping timestamps of nodes already in an answer ($keys: [{label, id}]), for a
// createdAt/updatedAt selected where the query that found the node did not read them
// (one round trip per level of the request, batched by a DataLoader).
UNWIND $keys AS k
CALL (k) {
  WITH k WHERE k.label = 'Party' MATCH (n:Party {id: k.id}) WHERE $visible IS NULL OR n.id IN $visible RETURN n
  UNION
  WITH k WHERE k.label = 'Rep' MATCH (n:Rep {id: k.id}) RETURN n
  UNION
  WITH k WHERE k.label = 'AccountTeam' MATCH (n:AccountTeam {id: k.id}) RETURN n
  UNION
  WITH k WHERE k.label = 'Product' MATCH (n:Product {id: k.id}) RETURN n
  UNION
  WITH k WHERE k.label = 'Holding' MATCH (n:Holding {id: k.id}) RETURN n
  UNION
  WITH k WHERE k.label = 'Opportunity' MATCH (n:Opportunity {id: k.id}) RETURN n
  UNION
  WITH k WHERE k.label = 'Interaction' MATCH (n:Interaction {id: k.id}) RETURN n
  UNION
  WITH k WHERE k.label = 'BusinessEvent' MATCH (n:BusinessEvent {id: k.id}) RETURN n
  UNION
  WITH k WHERE k.label = 'AffinityRule' MATCH (n:AffinityRule {id: k.id}) RETURN n
  UNION
  WITH k WHERE k.label = 'Competitor' MATCH (n:Competitor {id: k.id}) RETURN n
  UNION
  WITH k WHERE k.label = 'TasAnswer' MATCH (n:TasAnswer {id: k.id}) RETURN n
}
RETURN k.label AS label, k.id AS id, n.createdAt AS createdAt, n.updatedAt AS updatedAt

// name: nodes
// Nodes other than parties by kind and id ($requests: [{kind, id}]), for node(id:) and
// nodes(ids:): each as the 360° view shows it (same map shapes, same mapping), with the
// parties it leads to, so that access is decided on them (services/nodes.py).
UNWIND $requests AS req
CALL (req) {
  WITH req WHERE req.kind = 'Rep'
  MATCH (r:Rep {id: req.id})
  RETURN {props: r {.id, .name, .email, .role, .region, {{STAMPS r}}}} AS found
  UNION
  WITH req WHERE req.kind = 'Product'
  MATCH (prod:Product {id: req.id})
  RETURN {props: prod {.id, .name, .category, .line, .segment, {{STAMPS prod}}}} AS found
  UNION
  WITH req WHERE req.kind = 'Competitor'
  MATCH (c:Competitor {id: req.id})
  RETURN {props: c {.id, .name, .website, .note, .aliases, {{STAMPS c}}}} AS found
  UNION
  WITH req WHERE req.kind = 'Holding'
  MATCH (holder:Party)-[:HOLDS]->(h:Holding {id: req.id})-[:OF_PRODUCT]->(prod:Product)
  RETURN {
    props: h {.id, .since, .amount, .status, {{STAMPS h}}},
    product: prod {.id, .name, .category, .line, .segment, {{STAMPS prod}}},
    holder: {props: {{PARTY_VIEW holder}}, kind: CASE WHEN holder:Person THEN 'PERSON' ELSE 'ORGANIZATION' END},
    beneficiaries: [(b:Person)-[bo:BENEFICIARY_OF]->(h) | {person: {{PERSON_VIEW b}}, share: bo.share, {{STAMPS bo}}}]
  } AS found
  UNION
  WITH req WHERE req.kind = 'Opportunity'
  MATCH (o:Opportunity {id: req.id})-[:FOR_ACCOUNT]->(acct:Party)
  RETURN {
    props: o {.id, .name, .stage, .amount, .closeDate, {{STAMPS o}}},
    account: {props: {{PARTY_VIEW acct}}, kind: CASE WHEN acct:Person THEN 'PERSON' ELSE 'ORGANIZATION' END},
    owner: [(r:Rep)-[:OWNS]->(o) | r {.id, .name, .email, .role, .region, {{STAMPS r}}}][0],
    products: [(o)-[:INCLUDES]->(prod:Product) | prod {.id, .name, .category, .line, .segment, {{STAMPS prod}}}],
    buyingCentre: [(p:Person)-[b:BUYING_ROLE]->(o) |
      {person: {{PERSON_VIEW p}}, role: b.role, attitude: b.attitude, influence: b.influence, {{STAMPS b}}}]
  } AS found
  UNION
  WITH req WHERE req.kind = 'Interaction'
  MATCH (i:Interaction {id: req.id})
  RETURN {
    props: i {.id, .kind, .at, .direction, .purpose, .channel, .subject, .summary, {{STAMPS i}}},
    reps: [(r:Rep)-[:CONDUCTED]->(i) | r {.id, .name, .email, .role, .region, {{STAMPS r}}}],
    opportunity: [(i)-[:ABOUT]->(o:Opportunity) |
      o {.id, .name, .stage, accountId: [(o)-[:FOR_ACCOUNT]->(a) | a.id][0]}][0],
    partyIds: [(i)-[:WITH]->(p:Party) | p.id]
  } AS found
  UNION
  WITH req WHERE req.kind = 'BusinessEvent'
  MATCH (org:Party)-[:HAS_EVENT]->(e:BusinessEvent {id: req.id})
  RETURN {props: e {.id, .kind, .title, .date, .description, {{STAMPS e}}}, partyId: org.id} AS found
  UNION
  WITH req WHERE req.kind = 'AccountTeam'
  MATCH (t:AccountTeam {id: req.id})
  RETURN {
    props: t {.id, .name, {{STAMPS t}}},
    accounts: [(t)-[:COVERS_ACCOUNT]->(a:Party) |
      {props: {{PARTY_VIEW a}}, kind: CASE WHEN a:Person THEN 'PERSON' ELSE 'ORGANIZATION' END}],
    manager: [(mg:Rep)-[:MANAGES]->(t) | mg {.id, .name, .email, .role, .region, {{STAMPS mg}}}][0],
    members: [(r:Rep)-[m:MEMBER_OF]->(t) | {rep: r {.id, .name, .email, .role, .region, {{STAMPS r}}}, role: m.role, {{STAMPS m}}}]
  } AS found
}
RETURN req.kind AS kind, req.id AS id, found

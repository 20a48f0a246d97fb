// Access control: what one rep or manager may see (graph_api/domain/access.py states the
// rules). One query per request, never for an admin; its cost follows the size of the
// viewer's accounts, never the size of the database.

// name: scope
// $repId: the viewer's Rep; $manager: also every rep below them (MANAGED_BY, any depth).
// No row when there is no such rep.
MATCH (me:Rep {id: $repId})
CALL (me) {
  // An archived rep (cypher/lifecycle.cypher) breaks the chain of managers.
  MATCH chain = (r:Rep)-[:MANAGED_BY*0..20]->(me)
  WHERE ($manager OR r = me) AND all(x IN nodes(chain) WHERE NOT x:Archived)
  RETURN collect(DISTINCT r) AS reps
}
CALL (reps) {
  UNWIND reps AS r
  MATCH (r)-[:MEMBER_OF|MANAGES]->(t:AccountTeam)
  RETURN collect(DISTINCT t) AS teams
}
CALL (teams) {
  UNWIND teams AS t
  MATCH (t)-[:COVERS_ACCOUNT]->(a:Party)
  RETURN collect(DISTINCT a) AS accounts
}
// Branches, subsidiaries and departments below an account are covered with it.
CALL (accounts) {
  UNWIND accounts AS a
  MATCH chain = (u:Organization)-[:PART_OF*0..]->(a)
  WHERE all(x IN nodes(chain) WHERE NOT x:Archived)
  RETURN collect(DISTINCT u) AS units
}
CALL (units) {
  UNWIND units AS u
  MATCH (p:Person)-[:WORKS_FOR]->(u)
  RETURN collect(DISTINCT p) AS employees
}
CALL (reps) {
  UNWIND reps AS r
  MATCH (r)-[:COVERS]->(d:Party)
  RETURN collect(DISTINCT d) AS direct
}
// The buying centre of a covered account: marked on it or on one of its opportunities.
CALL (units, accounts) {
  UNWIND units + accounts AS u
  CALL (u) {
    MATCH (p:Person)-[:BUYING_ROLE]->(u)
    RETURN p
    UNION
    MATCH (p:Person)-[:BUYING_ROLE]->(:Opportunity)-[:FOR_ACCOUNT]->(u)
    RETURN p
  }
  RETURN collect(DISTINCT p) AS buyers
}
WITH reps, teams, accounts, direct, buyers, accounts + units + employees AS covered
// Open: the people whose sensitive fields the viewer sees: the teams' person accounts and
// the people the viewer's reps cover, unless confidential to another team.
WITH reps, teams, direct, buyers, covered,
     [x IN [a IN accounts WHERE a:Person] + [d IN direct WHERE d:Person]
      WHERE NOT coalesce(x.confidential, false) OR x IN covered] AS open
CALL (open) {
  UNWIND open AS o
  MATCH (o)-[:FAMILY]-(f:Person)
  RETURN collect(DISTINCT f) AS family
}
RETURN [t IN teams | t.id] AS teams, [r IN reps | r.id] AS reps,
       [x IN covered + direct WHERE x:Organization | x.id] AS organizations,
       [x IN covered | x.id]
       + [x IN direct + buyers + family WHERE NOT coalesce(x.confidential, false) | x.id]
       AS visible,
       [x IN open | x.id] AS sensitive

// Job changes (issue 14.3, services/job_change.py): the one bounded read of recordJobChange,
// in its write transaction before anything is written.

// name: context
// The person's current jobs and which one ends ($fromOrganizationId, else the primary one,
// else the only one), then from that job: the buying roles on the targets (accounts of the
// old employer's group: the organization, its parents and its units; their opportunities)
// where the person holds one, everyone's roles there, those accounts' open opportunities,
// the person's reporting lines (both ways) and personal links, our coverage of the person,
// and the new employer's group: its people with buying roles and its open opportunities.
// Parties outside $visible (null: all) are left out of the impact; `hidden` counts the
// links the move must close to parties the viewer does not see.
WITH $visible IS NULL AS everything, coalesce($visible, []) + $created AS seen
OPTIONAL MATCH (p:Person {id: $personId})
WITH everything, seen, CASE WHEN p IS NOT NULL AND (everything OR p.id IN seen) THEN p END AS p
FOREACH (x IN CASE WHEN p IS NULL THEN [] ELSE [p] END | SET x._lock = true REMOVE x._lock)
WITH everything, seen, p
OPTIONAL MATCH (to:Organization {id: $toOrganizationId})
WITH everything, seen, p,
     CASE WHEN to IS NOT NULL AND (everything OR to.id IN seen) THEN to END AS to
WITH everything, seen, p, to,
     CASE WHEN p IS NULL THEN [] ELSE
       [(p)-[e:WORKS_FOR]->(o:Organization) | {organizationId: o.id, name: o.name,
         title: e.title, department: e.department, since: e.since, validFrom: e.validFrom,
         primary: coalesce(e.primary, false), version: e.version}] END AS jobs
WITH everything, seen, p, to, jobs,
     head([j IN jobs WHERE j.organizationId = $fromOrganizationId]
          + [j IN jobs WHERE $fromOrganizationId IS NULL AND (j.primary OR size(jobs) = 1)])
       AS job
OPTIONAL MATCH (old:Organization {id: job.organizationId})
// The old group: the organization, its parents and its units (bounded depth).
CALL (p, old) {
  WITH p, old WHERE p IS NOT NULL AND old IS NOT NULL
  MATCH (p)-[r:BUYING_ROLE]->(t)
  OPTIONAL MATCH (t:Opportunity)-[:FOR_ACCOUNT]->(oa:Organization)
  WITH r, t, CASE WHEN t:Opportunity THEN oa ELSE t END AS a
  WHERE a:Organization AND (a = old
    OR EXISTS { MATCH w = (old)-[:PART_OF*1..10]->(a) WHERE NOT any(x IN nodes(w) WHERE x:Archived) }
    OR EXISTS { MATCH w = (a)-[:PART_OF*1..10]->(old) WHERE NOT any(x IN nodes(w) WHERE x:Archived) })
  RETURN collect(DISTINCT {t: t, a: a.id}) AS targets
}
WITH everything, seen, p, to, jobs, job, old, coalesce(targets, []) AS targets
CALL (targets, everything, seen) {
  UNWIND targets AS x
  WITH x.t AS t, x.a AS a, everything, seen
  MATCH (q:Person)-[r:BUYING_ROLE]->(t)
  WHERE everything OR q.id IN seen
  RETURN collect({personId: q.id, target: CASE WHEN t:Opportunity THEN 'OPPORTUNITY'
           ELSE 'ACCOUNT' END, targetId: t.id, targetName: t.name, accountId: a,
           role: r.role, attitude: r.attitude, influence: r.influence,
           validFrom: r.validFrom}) AS roles
}
CALL (targets) {
  UNWIND targets AS x
  WITH x.t AS t WHERE NOT t:Opportunity
  MATCH (o:Opportunity)-[:FOR_ACCOUNT]->(t)
  WHERE NOT coalesce(o.stage, '') IN ['WON', 'LOST']
  RETURN collect(DISTINCT {id: o.id, name: o.name, accountId: t.id, stage: o.stage}) AS opens
}
CALL (p, everything, seen) {
  WITH p WHERE p IS NOT NULL
  OPTIONAL MATCH (p)-[r:REPORTS_TO]-(c:Person)
  WITH p, r, c WHERE r IS NOT NULL
  RETURN collect({id: c.id, name: c.name,
           relation: CASE WHEN startNode(r) = p THEN 'MANAGER' ELSE 'DIRECT_REPORT' END,
           validFrom: r.validFrom, visible: everything OR c.id IN seen,
           personal: EXISTS { (p)-[:FAMILY|KNOWS|INFLUENCES]-(c) },
           reps: [(rep:Rep)-[:COVERS]->(c) | rep.id]}) AS lines
}
CALL (p) {
  WITH p WHERE p IS NOT NULL
  OPTIONAL MATCH (rep:Rep)-[c:COVERS]->(p)
  WITH rep, c WHERE rep IS NOT NULL
  RETURN collect({repId: rep.id, repName: rep.name, strength: c.strength, kind: c.kind})
    AS coverage
}
// The new group: the new employer, its parents and its units; its people (employed in the
// group) with a buying role on its accounts or open opportunities; its open opportunities.
OPTIONAL CALL (p, to, everything, seen) {
  WITH p, to WHERE p IS NOT NULL AND to IS NOT NULL
  OPTIONAL MATCH below = (u:Organization)-[:PART_OF*0..10]->(to)
  WHERE NOT any(x IN nodes(below) WHERE x:Archived)
  WITH p, to, collect(DISTINCT u) AS down
  OPTIONAL MATCH upward = (to)-[:PART_OF*1..10]->(up:Organization)
  WHERE NOT any(x IN nodes(upward) WHERE x:Archived)
  WITH p, down, collect(DISTINCT up) AS ups
  WITH p, down + ups AS group
  CALL (group, everything, seen) {
    UNWIND group AS a
    MATCH (o:Opportunity)-[:FOR_ACCOUNT]->(a)
    WHERE NOT coalesce(o.stage, '') IN ['WON', 'LOST'] AND (everything OR a.id IN seen)
    RETURN collect(DISTINCT {id: o.id, name: o.name, accountId: a.id, stage: o.stage})[..50]
      AS news, collect(DISTINCT o) AS opps
  }
  CALL (p, group, opps, everything, seen) {
    UNWIND group + opps AS t
    MATCH (q:Person)-[r:BUYING_ROLE]->(t)
    WHERE q <> p AND (everything OR q.id IN seen)
    MATCH (q)-[e:WORKS_FOR]->(g:Organization) WHERE g IN group
    WITH p, q, r, t, head(collect(e.title)) AS title
    RETURN collect({id: q.id, name: q.name, title: title,
             target: CASE WHEN t:Opportunity THEN 'OPPORTUNITY' ELSE 'ACCOUNT' END,
             targetId: t.id, role: r.role, attitude: r.attitude,
             known: EXISTS { (p)-[:FAMILY|KNOWS|INFLUENCES]-(q) }})[..100] AS insiders
  }
  RETURN news, insiders
}
OPTIONAL MATCH (boss:Person {id: $reportsToId})
RETURN p IS NOT NULL AS found, to IS NOT NULL AS toFound, jobs, job,
       boss IS NOT NULL AND (everything OR boss.id IN seen) AS reportsToFound,
       roles, opens, coalesce(lines, []) AS lines, coalesce(coverage, []) AS coverage,
       coalesce(news, []) AS news, coalesce(insiders, []) AS insiders

// name: recent
// Job changes since $since affecting the accounts of a rep's teams ($repId: the teams they
// are a member or the manager of) or of one team ($teamId): a job closed on a day
// (WAS_WORKS_FOR validTo) and another begun that day (validFrom) at another organization,
// where the old or the new employer is one of the teams' accounts or a unit below one.
// Newest first, then by person and new employer; keyset after ($afterDay, $afterPerson,
// $afterTo); people outside $visible (null: all) left out. `known`: the rep or team exists.
OPTIONAL MATCH (rep:Rep {id: $repId})
OPTIONAL MATCH (team:AccountTeam {id: $teamId})
WITH rep, team, rep IS NOT NULL OR team IS NOT NULL AS known
CALL (rep, team) {
  OPTIONAL MATCH (rep)-[:MEMBER_OF|MANAGES]-(t:AccountTeam)
  WITH team, collect(DISTINCT t) AS mine
  WITH mine + CASE WHEN team IS NULL THEN [] ELSE [team] END AS teams
  UNWIND teams AS t
  MATCH (t)-[:COVERS_ACCOUNT]->(acct:Organization)
  MATCH chain = (org:Organization)-[:PART_OF*0..10]->(acct)
  WHERE NOT any(x IN nodes(chain) WHERE x:Archived)
  RETURN collect(DISTINCT org) AS orgs
}
CALL (orgs) {
  UNWIND orgs AS org
  CALL (org) {
    MATCH (p:Person)-[old:WAS_WORKS_FOR]->(org) WHERE old.validTo >= $since
    MATCH (p)-[new:WORKS_FOR|WAS_WORKS_FOR]->(to:Organization)
    WHERE new.validFrom = old.validTo AND to <> org
    RETURN p, old, org AS from, new, to
    UNION
    MATCH (p:Person)-[new:WORKS_FOR|WAS_WORKS_FOR]->(org) WHERE new.validFrom >= $since
    MATCH (p)-[old:WAS_WORKS_FOR]->(from:Organization)
    WHERE old.validTo = new.validFrom AND from <> org
    RETURN p, old, from, new, org AS to
  }
  WITH DISTINCT p, old, from, new, to
  WHERE ($visible IS NULL OR p.id IN $visible)
    AND ($afterDay IS NULL OR new.validFrom < $afterDay
         OR (new.validFrom = $afterDay AND (p.id > $afterPerson
             OR (p.id = $afterPerson AND to.id > $afterTo))))
  WITH p, old, from, new, to ORDER BY new.validFrom DESC, p.id, to.id LIMIT $first + 1
  RETURN collect({personId: p.id, personName: p.name, fromId: from.id, fromName: from.name,
                  toId: to.id, toName: to.name, date: new.validFrom, title: new.title,
                  previousTitle: old.title}) AS changes
}
RETURN known, changes

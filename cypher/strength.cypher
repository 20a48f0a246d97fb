// Earned relationship strength: the per-pair accumulators (graph_api/analytics/strength.py,
// docs/ANALYTICS.md "Earned strength"). (a)-[:ENGAGED]->(b): a = one of our reps or the
// customer person of the lower id, b = a customer person.

// name: refresh_pairs
// $pairs: [kind, a, b] with kind 'R' (a rep a, a person b) or 'P' (people a < b by id);
// $weights: kind -> weight; $kinds: the order of kindCounts; $halfLife: days; $epoch: the
// accumulators' origin in epoch seconds. Recomputes each pair from all its interactions
// (exact whatever was written before: an update that moved an interaction, a retried
// create); a pair left without interactions loses its accumulator. One row per pair, with
// the accumulator before and after.
UNWIND $pairs AS pair
CALL (pair) {
  MATCH (a:Rep {id: pair[1]}) WHERE pair[0] = 'R'
  RETURN a
  UNION
  MATCH (a:Person {id: pair[1]}) WHERE pair[0] = 'P'
  RETURN a
}
MATCH (b:Person {id: pair[2]})
WHERE a <> b
OPTIONAL MATCH (a)-[old:ENGAGED]->(b)
WITH pair, a, b, old, CASE WHEN old IS NULL THEN null ELSE properties(old) END AS before
CALL (a, b) {
  OPTIONAL MATCH (a)-[:CONDUCTED|WITH]-(i:Interaction)-[:WITH]->(b)
  WHERE i.at IS NOT NULL AND $weights[i.kind] IS NOT NULL
  WITH DISTINCT i WHERE i IS NOT NULL
  // In id order: the sum below is of floats, whose last bit depends on the order of the
  // terms; the order the links are matched in is the store's, which another load changes.
  WITH i ORDER BY i.id
  WITH collect({
         x: log($weights[i.kind]) / log(2.0)
            + (i.at.epochSeconds - $epoch) / 86400.0 / $halfLife,
         kind: i.kind, direction: i.direction}) AS xs,
       min(i.at) AS firstAt, max(i.at) AS lastAt
  WITH xs, firstAt, lastAt,
       reduce(top = null, e IN xs | CASE WHEN top IS NULL OR e.x > top THEN e.x ELSE top END) AS top
  RETURN CASE WHEN size(xs) = 0 THEN null ELSE {
    lacc: top + log(reduce(s = 0.0, e IN xs | s + exp((e.x - top) * log(2.0)))) / log(2.0),
    halfLife: toFloat($halfLife),
    count: size(xs),
    kindCounts: [k IN $kinds | size([e IN xs WHERE e.kind = k])],
    active: size([e IN xs WHERE e.direction = 'ACTIVE']),
    passive: size([e IN xs WHERE e.direction = 'PASSIVE']),
    firstAt: firstAt,
    lastAt: lastAt
  } END AS after
}
CALL (a, b, old, after) {
  WITH old WHERE after IS NULL AND old IS NOT NULL
  DELETE old
}
CALL (a, b, after) {
  WITH a, b, after WHERE after IS NOT NULL
  MERGE (a)-[e:ENGAGED]->(b)
  SET e = after
}
RETURN pair[0] AS kind, a.id AS a, b.id AS b, before, after,
       head([(a)-[d:COVERS|KNOWS]-(b) | [type(d), d.strength]]) AS declared

// name: interaction_pairs
// Up to $first interactions with ids after $after, in id order, with their reps and people
// (the refresh of every pair, graph-api refresh-strength, walks them in batches).
MATCH (i:Interaction) WHERE i.id > $after
WITH i ORDER BY i.id LIMIT $first
RETURN i.id AS id, [(r:Rep)-[:CONDUCTED]->(i) | r.id] AS reps,
       [(i)-[:WITH]->(p:Person) | p.id] AS people

// name: clear_stale
// Accumulators computed with another half-life than $halfLife, up to $first: after a full
// refresh recomputed every pair that has interactions, those left are backed by none.
MATCH ()-[e:ENGAGED]->() WHERE e.halfLife <> $halfLife
WITH e LIMIT $first
DELETE e
RETURN count(*) AS deleted

// name: last_interactions
// The parties $ids with their newest interaction and what the sleeping signal reads
// besides (domain/signals.py `sleeping`): read before and after a write of an interaction.
// An interaction dated after today ($before: the start of tomorrow, UTC) is no follow-up yet.
UNWIND $ids AS pid
MATCH (p:Party {id: pid})
CALL (p) {
  MATCH (p)<-[:WITH]-(i:Interaction) WHERE i.at < $before
  WITH i ORDER BY i.at DESC LIMIT 1
  RETURN collect(i.at)[0] AS lastAt
}
RETURN p.id AS id, lastAt, p.customerSince AS customerSince, p.grade AS grade

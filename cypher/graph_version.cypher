// The graph's version: one (:GraphVersion {key: 'graph'}) node whose `n` goes up with every
// write of the party graph (each mutation in its own transaction, each import batch), and
// whose `epoch` is new whenever the node is made again (after a clear, the count starts over
// under another epoch). Caches of answers computed from the graph (keyDeciders) are keyed by
// it, so an answer cached before a write is never served after it. Not part of the format.

// name: read
// The version now, or no row when no write has made the node yet (nothing is cached then).
MATCH (v:GraphVersion {key: 'graph'})
RETURN v.epoch + ':' + toString(v.n) AS version

// name: bump
// In the write's own transaction where there is one: the version goes up with the write,
// atomically.
MERGE (v:GraphVersion {key: 'graph'})
  ON CREATE SET v.epoch = randomUUID(), v.n = 0
SET v.n = v.n + 1

// name: start
// At every start, for a database that already holds a graph but no version yet (loaded by
// the offline bulk importer, or before versions existed); an empty database stays empty.
MATCH (n) WHERE NOT n:GraphVersion
WITH n LIMIT 1
MERGE (v:GraphVersion {key: 'graph'})
  ON CREATE SET v.epoch = randomUUID(), v.n = 0

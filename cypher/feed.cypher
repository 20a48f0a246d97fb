// The change feed: a transactional outbox (graph_api/services/feed.py). Every write records
// its changes here in its own transaction, each with a global position.

// name: append
// Last in the writing transaction. Setting the sequence node's position takes its write lock
// (the read of s.position on the right of SET happens under that lock), held until commit: a
// second writer waits here until the first commits or rolls back, so positions are given in
// commit order, without gaps (a rolled-back transaction gives its numbers back) or
// duplicates. Taken last, the lock is held only for the end of each write.
MERGE (s:FeedSequence {name: 'changes'})
ON CREATE SET s.position = 0, s.pruned = 0
SET s.position = s.position + size($entries)
WITH s.position - size($entries) AS base
UNWIND range(0, size($entries) - 1) AS i
CREATE (c:Change)
SET c = $entries[i], c.position = base + i + 1

// name: head
// The newest position, and the newest one pruned (a cursor before it has lost changes).
OPTIONAL MATCH (s:FeedSequence {name: 'changes'})
RETURN coalesce(s.position, 0) AS position, coalesce(s.pruned, 0) AS pruned

// name: page
// After the cursor, in position order; $visible (null for an admin) keeps to changes whose
// parties the viewer sees all of; the sensitive kinds and fields are the service's to open.
MATCH (c:Change)
// The initial-load marker is shown whatever the filters: every client must resynchronise.
WHERE c.position > $after
  AND ($types IS NULL OR c.type IN $types OR c.action = 'INITIAL_LOAD')
  AND ($partyIds IS NULL OR any(p IN c.partyIds WHERE p IN $partyIds) OR c.action = 'INITIAL_LOAD')
  AND ($visible IS NULL OR all(p IN c.partyIds WHERE p IN $visible))
WITH c ORDER BY c.position LIMIT $first + 1
RETURN collect(properties(c)) AS changes

// name: prune_upto
// The newest position older than $before: everything up to it goes (by position, so that
// the feed never has a hole in the middle). The mark is set before the deletion, so a client
// whose cursor is older is told to resynchronise rather than silently skip changes.
// Never past a change an enabled webhook has not delivered (or dead-lettered) yet: its cursor
// holds the retention back (cypher/webhooks.cypher; a disabled webhook holds nothing, and
// when enabled again behind the pruned mark it sends a resynchronisation notice).
MATCH (c:Change) WHERE c.at < $before
WITH max(c.position) AS upto
OPTIONAL MATCH (w:Webhook) WHERE w.enabled
WITH upto, min(w.cursor) AS held
WITH CASE WHEN held IS NOT NULL AND held < upto THEN held ELSE upto END AS upto
MATCH (s:FeedSequence {name: 'changes'})
WHERE upto IS NOT NULL
SET s.pruned = CASE WHEN upto > coalesce(s.pruned, 0) THEN upto ELSE s.pruned END
RETURN s.pruned AS upto

// name: prune
MATCH (c:Change) WHERE c.position <= $upto
CALL (c) { DELETE c } IN TRANSACTIONS OF 10000 ROWS

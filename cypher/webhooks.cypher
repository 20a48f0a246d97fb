// Webhooks (graph_api/services/webhooks.py): the registrations admins manage, the lease that
// lets exactly one service process deliver each of them at a time, and the delivery log with
// its dead-letter list. The queue itself is the change feed (cypher/feed.cypher): a webhook
// keeps only its cursor there.

// name: create
// Starts at the feed's newest position: the changes committed from now on are delivered.
OPTIONAL MATCH (s:FeedSequence {name: 'changes'})
CREATE (w:Webhook {
  id: $id, url: $url, eventTypes: $eventTypes, partyIds: $partyIds, secret: $secret,
  description: $description, enabled: true, createdAt: $now, createdBy: $by, updatedAt: $now,
  updatedBy: $by, cursor: coalesce(s.position, 0)
})
RETURN properties(w) AS props

// name: list
MATCH (w:Webhook)
WHERE $includeDisabled OR w.enabled
RETURN properties(w) AS props
ORDER BY w.createdAt, w.id

// name: get
MATCH (w:Webhook {id: $id})
RETURN properties(w) AS props

// name: update
// $set holds only the properties to change (a null removes one: partyIds null is every party).
MATCH (w:Webhook {id: $id})
SET w += $set, w.updatedAt = $now, w.updatedBy = $by
RETURN properties(w) AS props

// name: delete
// The webhook and its delivery log.
MATCH (w:Webhook {id: $id})
OPTIONAL MATCH (d:WebhookDelivery {webhookId: $id})
WITH w, properties(w) AS props, collect(d) AS deliveries
FOREACH (d IN deliveries | DELETE d)
DELETE w
RETURN props

// name: claim
// Takes or renews the lease. The first SET takes the webhook's write lock, and the lease is
// read after it, under that lock (Neo4j's documented way to avoid a lost update): two
// processes claiming at once are serialised, and the second sees the first's lease. Answers
// the webhook only to the holder. Times are the database's clock, the same for every process.
MATCH (w:Webhook {id: $id})
SET w.leaseClaims = coalesce(w.leaseClaims, 0) + 1
WITH w
WHERE w.enabled
  AND (w.leaseOwner IS NULL OR w.leaseOwner = $owner OR w.leaseUntil < datetime())
SET w.leaseOwner = $owner, w.leaseUntil = datetime() + duration({milliseconds: $leaseMs})
RETURN properties(w) AS props

// name: release
// The holder gives its lease back (at shutdown), so that another process takes over at once.
MATCH (w:Webhook {id: $id})
SET w.leaseClaims = coalesce(w.leaseClaims, 0) + 1
WITH w
WHERE w.leaseOwner = $owner
SET w.leaseOwner = null, w.leaseUntil = null

// name: record
// One attempt's outcome, written only while the caller still holds the lease and (for the
// feed's next change, $from not null) the cursor is still where the attempt began: the
// cursor moves to $to only with the delivery's final outcome (delivered or dead-lettered),
// so a process that restarts resumes after the last change whose fate is recorded.
MATCH (w:Webhook {id: $webhookId})
SET w.leaseClaims = coalesce(w.leaseClaims, 0) + 1
WITH w
WHERE w.leaseOwner = $owner AND ($from IS NULL OR w.cursor = $from)
MERGE (d:WebhookDelivery {id: $delivery.id})
ON CREATE SET d = $delivery, d.createdAt = $now, d.attempts = 0, d.tries = 0, d.attemptLog = []
SET d.attempts = d.attempts + 1,
    d.tries = d.tries + 1,
    d.attemptLog = d.attemptLog + [$attempt],
    d.status = $status,
    d.lastAttemptAt = $now,
    d.nextAttemptAt = $nextAttemptAt,
    d.lastStatusCode = $statusCode,
    d.lastError = $error,
    d.deliveredAt = CASE WHEN $status = 'DELIVERED' THEN $now ELSE d.deliveredAt END,
    d.deadAt = CASE WHEN $status = 'DEAD' THEN $now ELSE null END,
    w.cursor = coalesce($to, w.cursor)
RETURN properties(d) AS props

// name: skip
// Nothing after the cursor up to $to is for this webhook (its filters): the cursor moves on,
// so that a webhook of rare types does not hold the feed's retention back.
MATCH (w:Webhook {id: $webhookId})
SET w.leaseClaims = coalesce(w.leaseClaims, 0) + 1
WITH w
WHERE w.leaseOwner = $owner AND w.cursor = $from
SET w.cursor = $to
RETURN w.cursor AS cursor

// name: waiting
// The webhook's deliveries that wait for another try: the feed's head (PENDING, at most one)
// and the replays an admin asked for (REPLAY).
MATCH (d:WebhookDelivery {webhookId: $id})
WHERE d.status IN ['PENDING', 'REPLAY']
RETURN properties(d) AS props
ORDER BY d.position, d.id

// name: deliveries
// The delivery log, newest first (by feed position, then id), after the keyset cursor.
MATCH (d:WebhookDelivery {webhookId: $id})
WHERE ($status IS NULL OR d.status = $status)
  AND ($position IS NULL OR d.position < $position
       OR (d.position = $position AND d.id < $deliveryId))
RETURN properties(d) AS props
ORDER BY d.position DESC, d.id DESC
LIMIT $first + 1

// name: dead_letters
MATCH (d:WebhookDelivery {status: 'DEAD'})
WHERE $id IS NULL OR d.webhookId = $id
RETURN properties(d) AS props
ORDER BY d.deadAt DESC, d.id DESC
LIMIT $first

// name: by_ids
UNWIND $ids AS id
MATCH (d:WebhookDelivery {id: id})
RETURN properties(d) AS props

// name: replay
// Dead letters back in their webhook's queue, due now, with a fresh round of tries.
UNWIND $ids AS id
MATCH (d:WebhookDelivery {id: id})
WHERE d.status = 'DEAD'
SET d.status = 'REPLAY', d.tries = 0, d.nextAttemptAt = $now, d.deadAt = null,
    d.replays = coalesce(d.replays, 0) + 1, d.replayedAt = $now, d.replayedBy = $by
RETURN properties(d) AS props

// name: holding
// The enabled webhooks whose cursor holds the feed's pruning back (changes older than $before
// that they have not delivered yet), oldest cursor first.
MATCH (c:Change) WHERE c.at < $before
WITH max(c.position) AS upto
MATCH (w:Webhook)
WHERE w.enabled AND w.cursor < upto
RETURN w.id AS id, w.url AS url, w.cursor AS cursor
ORDER BY w.cursor, w.id

// name: prune_delivered
// The log of delivered changes is kept as long as the feed keeps changes.
MATCH (d:WebhookDelivery {status: 'DELIVERED'})
WHERE d.deliveredAt < $before
CALL (d) { DELETE d } IN TRANSACTIONS OF 10000 ROWS

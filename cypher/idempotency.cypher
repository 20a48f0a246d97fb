// Idempotency keys of writes (graph_api/services/idempotency.py).

// name: claim
// First in a write's transaction. MERGE on the unique key locks it: a concurrent retry with
// the same key waits for this transaction, then finds its answer.
MERGE (i:IdempotencyKey {key: $key})
RETURN i.fingerprint AS fingerprint, i.answer AS answer, i.at AS at

// name: record
// Last in the same transaction as the write: the key, what was asked, and the answer.
MATCH (i:IdempotencyKey {key: $key})
SET i.fingerprint = $fingerprint, i.answer = $answer, i.at = $at, i.mutation = $mutation

// name: prune
MATCH (i:IdempotencyKey)
WHERE i.at < $before
WITH i LIMIT $limit
DELETE i
RETURN count(*) AS deleted

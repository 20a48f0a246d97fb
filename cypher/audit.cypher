// The audit trail of the write API, read per party (entries are written by write.audit).

// name: trail
// Newest first; ties (one mutation writes several entries at one time) by seq, then id.
// The keyset cursor ($afterAt, $afterSeq, $afterId) continues after the last entry seen.
MATCH (p:Party {id: $partyId})
CALL (p) {
  MATCH (p)<-[:CONCERNS]-(a:AuditEntry)
  RETURN count(a) AS total
}
CALL (p) {
  MATCH (p)<-[:CONCERNS]-(a:AuditEntry)
  WHERE $afterAt IS NULL OR a.at < $afterAt
     OR (a.at = $afterAt AND (a.seq < $afterSeq OR (a.seq = $afterSeq AND a.id < $afterId)))
  WITH a ORDER BY a.at DESC, a.seq DESC, a.id DESC LIMIT $first + 1
  RETURN collect(properties(a)) AS entries
}
RETURN total, entries

// name: visibility
// What decides whether a restricted viewer sees an entry (services/audit.py `entry_shown`), for every
// entry of the party: their totalCount counts only those they see.
MATCH (p:Party {id: $partyId})<-[:CONCERNS]-(a:AuditEntry)
RETURN collect([a.entity, a.partyIds]) AS entries

// name: prune
// Entries older than $before, in batches (an auto-commit transaction: graph-api prune-audit).
MATCH (a:AuditEntry) WHERE a.at < $before
CALL (a) { DETACH DELETE a } IN TRANSACTIONS OF 10000 ROWS

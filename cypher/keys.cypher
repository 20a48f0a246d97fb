// API keys kept in the database: only the SHA-256 of each key is stored (services/api_keys.py).
// Admins create, list and revoke them (mutations, graph-api keys); the authenticator looks a
// key up by its hash before there is a viewer.

// name: create
CREATE (k:ApiKey {
  id: $id, sha256: $sha256, prefix: $prefix, subject: $subject, role: $role, repId: $repId,
  label: $label, createdAt: $now, createdBy: $by
})
RETURN properties(k) AS props

// name: find
// A key that is not revoked, by its hash (unique constraint api_key_sha256).
MATCH (k:ApiKey {sha256: $sha256})
WHERE k.revokedAt IS NULL
RETURN properties(k) AS props

// name: list
MATCH (k:ApiKey)
WHERE $includeRevoked OR k.revokedAt IS NULL
RETURN properties(k) AS props
ORDER BY k.createdAt, k.id

// name: revoke
// Revoking twice keeps the first revocation's time and author.
MATCH (k:ApiKey {id: $id})
SET k.revokedAt = coalesce(k.revokedAt, $now), k.revokedBy = coalesce(k.revokedBy, $by)
RETURN properties(k) AS props

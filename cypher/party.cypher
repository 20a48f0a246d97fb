// Reads of parties (people and organizations).

// name: by_id
MATCH (n:Party {id: $id})
RETURN properties(n) AS props, CASE WHEN n:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind

// Full-text search over party names, aliases and people's job titles and departments (index
// party_search, see schema.cypher).
// $query is a Lucene query built by the service from the user's words, never raw text.

// name: parties
CALL db.index.fulltext.queryNodes('party_search', $query) YIELD node, score
WHERE ($kinds IS NULL
       OR (node:Person AND 'PERSON' IN $kinds)
       OR (node:Organization AND 'ORGANIZATION' IN $kinds))
  AND ($tier IS NULL OR node.tier = $tier)
  AND ($region IS NULL OR node.region = $region)
  // $visible: the ids the viewer may see (null: all), before counting.
  AND ($visible IS NULL OR node.id IN $visible)
  // A person's industry is that of an employer (one the viewer sees).
  AND ($industry IS NULL OR node.industry = $industry
       OR EXISTS { (node)-[:WORKS_FOR]->(o:Organization {industry: $industry})
                   WHERE $visible IS NULL OR o.id IN $visible })
WITH node, score ORDER BY score DESC, node.id
WITH collect({node: node, score: score}) AS hits
WITH size(hits) AS total, hits[$skip..$skip + $limit] AS window
CALL (window) {
  UNWIND window AS hit
  WITH hit.node AS x, hit.score AS score
  RETURN collect({
    props: {{PARTY_FIELDS x}},
    score: score, kind: CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END
  }) AS page
}
RETURN total, page

// name: parties_page
// The same search without the count, for a request that does not ask for totalCount: only the
// best $skip + $limit + 1 hits are kept (ORDER BY ... LIMIT is a top-k, not a full sort), the
// last one only to say whether there is a next page. On a million parties a one-character
// search such as 张 has about 100,000 hits, and collecting and counting them all was most of
// the time.
CALL db.index.fulltext.queryNodes('party_search', $query) YIELD node, score
WHERE ($kinds IS NULL
       OR (node:Person AND 'PERSON' IN $kinds)
       OR (node:Organization AND 'ORGANIZATION' IN $kinds))
  AND ($tier IS NULL OR node.tier = $tier)
  AND ($region IS NULL OR node.region = $region)
  AND ($visible IS NULL OR node.id IN $visible)
  AND ($industry IS NULL OR node.industry = $industry
       OR EXISTS { (node)-[:WORKS_FOR]->(o:Organization {industry: $industry})
                   WHERE $visible IS NULL OR o.id IN $visible })
WITH node, score ORDER BY score DESC, node.id LIMIT $skip + $limit + 1
WITH collect({node: node, score: score}) AS hits
WITH size(hits) > $skip + $limit AS more, hits[$skip..$skip + $limit] AS window
CALL (window) {
  UNWIND window AS hit
  WITH hit.node AS x, hit.score AS score
  RETURN collect({
    props: {{PARTY_FIELDS x}},
    score: score, kind: CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END
  }) AS page
}
RETURN more, page

// name: backfill_titles
// Once per database (graph-api migrate): the searchTitles of people imported before titles
// were searchable. Later starts find nobody to fill (people without a job have an empty
// list after their first write, or none and no job: the EXISTS keeps them out cheaply).
MATCH (p:Person) WHERE p.searchTitles IS NULL AND EXISTS { (p)-[:WORKS_FOR]->(:Organization) }
CALL (p) {
  CALL (p) {
    MATCH (p)-[w:WORKS_FOR]->(:Organization)
    WITH trim(coalesce(w.title, '') + ' ' + coalesce(w.department, '')) AS t ORDER BY t
    RETURN collect(t) AS titles
  }
  SET p.searchTitles = titles
} IN TRANSACTIONS OF 10000 ROWS

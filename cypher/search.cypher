// Full-text search over party names, aliases and people's job titles and departments (index
// party_search, see schema.cypher).
// $query is a Lucene query built by the service from the user's words, never raw text.

// name: parties
// Every hit, counted exactly: for `exactCount: true`, and when the filters leave too few of
// the widest window (work proportional to the hits, unlike `window`).
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

// name: window
// The flat search: the index gives only its best $window hits (Lucene keeps a top-k, never
// the whole list of hits), and the filters, the viewer's access and the order by score then
// id apply to those alone, so its work does not grow with the graph. `retrieved` says whether
// the index had more: then `total` counts only the hits of the window (a lower bound) and
// ties on the window's lowest score are a subset in the index's order; the service widens
// the window when too few hits pass the filters.
CALL db.index.fulltext.queryNodes('party_search', $query, {limit: $window}) YIELD node, score
WITH collect({node: node, score: score}) AS found
CALL (found) {
  UNWIND found AS hit
  WITH hit.node AS node, hit.score AS score
  WHERE ($kinds IS NULL
         OR (node:Person AND 'PERSON' IN $kinds)
         OR (node:Organization AND 'ORGANIZATION' IN $kinds))
    AND ($tier IS NULL OR node.tier = $tier)
    AND ($region IS NULL OR node.region = $region)
    AND ($visible IS NULL OR node.id IN $visible)
    AND ($industry IS NULL OR node.industry = $industry
         OR EXISTS { (node)-[:WORKS_FOR]->(o:Organization {industry: $industry})
                     WHERE $visible IS NULL OR o.id IN $visible })
  WITH node, score ORDER BY score DESC, node.id
  RETURN collect({node: node, score: score}) AS hits
}
WITH size(found) AS retrieved, size(hits) AS total, hits[$skip..$skip + $limit] AS window
CALL (window) {
  UNWIND window AS hit
  WITH hit.node AS x, hit.score AS score
  RETURN collect({
    props: {{PARTY_FIELDS x}},
    score: score, kind: CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END
  }) AS page
}
RETURN retrieved, total, page

// name: top
// `window` without filters (no kinds, tier, industry or region: the common search box): the
// same answer with less work per hit (no filter subquery; the viewer's access, when it has a
// limit, as a list filter). The order is the index's best $window hits by score then id.
CALL db.index.fulltext.queryNodes('party_search', $query, {limit: $window}) YIELD node, score
WITH node, score ORDER BY score DESC, node.id
WITH collect({node: node, score: score}) AS found
WITH size(found) AS retrieved,
     [hit IN found WHERE $visible IS NULL OR hit.node.id IN $visible] AS hits
WITH retrieved, size(hits) AS total, hits[$skip..$skip + $limit] AS window
CALL (window) {
  UNWIND window AS hit
  WITH hit.node AS x, hit.score AS score
  RETURN collect({
    props: {{PARTY_FIELDS x}},
    score: score, kind: CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END
  }) AS page
}
RETURN retrieved, total, page

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

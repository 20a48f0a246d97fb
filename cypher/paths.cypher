// Relationship paths: the neighbourhood around the endpoints, loaded in one query.
// Breadth-first by levels, each level sorted by id and capped at $cap nodes, so the cost is
// bounded by the neighbourhood, never by the database. Hubs are not expanded far from the
// endpoints: an organization only at levels 0 and 1 (an endpoint and its employers: their
// people are the endpoint's colleagues), one of our reps only at level 0 (a rep covering
// hundreds of people would otherwise pull them all in). People are always expanded.
// ENGAGED (earned strength from interactions, cypher/strength.cypher) links a rep or a
// person to a person they had interactions with: a relationship like the declared ones.

// name: neighbourhood
// History (store/projection.py): the as-of variant (`neighbourhood_asof`, $asOf) walks the
// links valid that day only: a path that existed then, whether or not it exists now. ENGAGED
// (earned from interactions, counted up to now) has no history: the as-of variant leaves it out.
// $ids: the endpoints (party or rep ids); $radius: levels to expand (0..6); $cap: max nodes;
// $visible: the party ids the viewer may see (null: all): no other party is reached, so
// none lies on a path and none takes a place under the cap.
// Every node (endpoints first, then by level and id) with its outgoing links.
CALL () {
  MATCH (e:Party) WHERE e.id IN $ids AND ($visible IS NULL OR e.id IN $visible) RETURN e
  UNION
  MATCH (e:Rep) WHERE e.id IN $ids RETURN e
}
WITH collect(e) AS level0
CALL (level0) {
  UNWIND level0 AS x
  WITH x WHERE $radius >= 1
  MATCH (x)-[r:{{REL WORKS_FOR|REPORTS_TO|FAMILY|INFLUENCES|KNOWS|COVERS|ENGAGED}}]-(y)
  WHERE (y:Rep OR (y:Party AND ($visible IS NULL OR y.id IN $visible))) {{AND_AT r}}
  WITH DISTINCT y ORDER BY y.id LIMIT $cap
  RETURN collect(y) AS level1
}
CALL (level1) {
  UNWIND level1 AS x
  WITH x WHERE $radius >= 2 AND NOT x:Rep
  MATCH (x)-[r:{{REL WORKS_FOR|REPORTS_TO|FAMILY|INFLUENCES|KNOWS|COVERS|ENGAGED}}]-(y)
  WHERE (y:Rep OR (y:Party AND ($visible IS NULL OR y.id IN $visible))) {{AND_AT r}}
  WITH DISTINCT y ORDER BY y.id LIMIT $cap
  RETURN collect(y) AS level2
}
CALL (level2) {
  UNWIND level2 AS x
  WITH x WHERE $radius >= 3 AND x:Person
  MATCH (x)-[r:{{REL WORKS_FOR|REPORTS_TO|FAMILY|INFLUENCES|KNOWS|COVERS|ENGAGED}}]-(y)
  WHERE (y:Rep OR (y:Party AND ($visible IS NULL OR y.id IN $visible))) {{AND_AT r}}
  WITH DISTINCT y ORDER BY y.id LIMIT $cap
  RETURN collect(y) AS level3
}
CALL (level3) {
  UNWIND level3 AS x
  WITH x WHERE $radius >= 4 AND x:Person
  MATCH (x)-[r:{{REL WORKS_FOR|REPORTS_TO|FAMILY|INFLUENCES|KNOWS|COVERS|ENGAGED}}]-(y)
  WHERE (y:Rep OR (y:Party AND ($visible IS NULL OR y.id IN $visible))) {{AND_AT r}}
  WITH DISTINCT y ORDER BY y.id LIMIT $cap
  RETURN collect(y) AS level4
}
CALL (level4) {
  UNWIND level4 AS x
  WITH x WHERE $radius >= 5 AND x:Person
  MATCH (x)-[r:{{REL WORKS_FOR|REPORTS_TO|FAMILY|INFLUENCES|KNOWS|COVERS|ENGAGED}}]-(y)
  WHERE (y:Rep OR (y:Party AND ($visible IS NULL OR y.id IN $visible))) {{AND_AT r}}
  WITH DISTINCT y ORDER BY y.id LIMIT $cap
  RETURN collect(y) AS level5
}
CALL (level5) {
  UNWIND level5 AS x
  WITH x WHERE $radius >= 6 AND x:Person
  MATCH (x)-[r:{{REL WORKS_FOR|REPORTS_TO|FAMILY|INFLUENCES|KNOWS|COVERS|ENGAGED}}]-(y)
  WHERE (y:Rep OR (y:Party AND ($visible IS NULL OR y.id IN $visible))) {{AND_AT r}}
  WITH DISTINCT y ORDER BY y.id LIMIT $cap
  RETURN collect(y) AS level6
}
UNWIND range(0, 6) AS lvl
WITH lvl, [level0, level1, level2, level3, level4, level5, level6][lvl] AS nodes
UNWIND nodes AS n
WITH n, min(lvl) AS level
ORDER BY level, n.id
LIMIT $cap
// One row: the async driver pays per record, and thousands of rows cost more than the query.
// Lists, not maps: [id, kind, name, level, links, headcount], each link [type, to, strength,
// kind, detail] (detail: a job's title, how two people know each other, an ENGAGED pair's
// accumulator as a list: analytics/strength.py `Accumulator.from_row`); a map's keys are
// decoded again for every node and link. headcount: an organization's people, all of them
// (a count from the relationship store, not an expansion): the strength of a colleague link
// falls with it, and the neighbourhood holds only some of them.
RETURN collect([
  n.id,
  CASE WHEN n:Person THEN 'PERSON' WHEN n:Organization THEN 'ORGANIZATION' ELSE 'REP' END,
  n.name,
  level,
  [(n)-[r:{{REL WORKS_FOR|REPORTS_TO|FAMILY|INFLUENCES|KNOWS|COVERS|ENGAGED}}]->(o) WHERE (o:Party OR o:Rep) {{AND_AT r}} |
    [{{TYPE r}}, o.id, r.strength, r.kind,
     CASE {{TYPE r}} WHEN 'WORKS_FOR' THEN r.title
      WHEN 'ENGAGED' THEN [r.lacc, r.halfLife, r.count, r.kindCounts, r.active, r.passive,
                           r.firstAt.epochSeconds, r.lastAt.epochSeconds]
      ELSE r.context END]],
  CASE WHEN n:Organization THEN COUNT { (n)<-[w:{{REL WORKS_FOR}}]-() {{WHERE_AT w}} } END
]) AS nodes

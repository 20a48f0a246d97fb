// Portfolio lists (issue 15.5): the work lists of a rep or manager, paged by keyset.
//
// The filters that depend on more than the party's own fields read properties kept on every
// party by `refresh` (run in the transaction of every write and after every import):
//   profileScore        the profile (portrait) score, 0..100 (domain/signals.py's points)
//   followUpDay         the day of the last follow-up as days since 1970-01-01: the last
//                       interaction's day (UTC), else customerSince, else 0 (never followed
//                       up: asleep longest). Never null, so its index holds every party.
//   lastInteractionAt   the newest interaction's time (null: none)
//   radCell             R1..A3 of an organization (null: unknown, and for people)
//   decisionLayerNoSupporter / decisionLayerUncovered
//                       true, or absent (the indexes then hold only the accounts flagged)
// The decision layer here is the declared one: the people marked DECISION_MAKER or APPROVER
// on the account or on one of its opportunities (decisionAssessment also ranks the chart).

// name: refresh
// $ids: parties whose data or links changed; also refreshed: the accounts they are marked
// on (directly or through an opportunity), whose decision layer they may be part of.
// $personPoints / $organizationPoints: [{field, points}] of the profile score.
UNWIND $ids AS id
MATCH (p:Party {id: id})
CALL (p) {
  RETURN p AS x
  UNION
  MATCH (p)-[:BUYING_ROLE]->(x:Party)
  RETURN x
  UNION
  MATCH (p)-[:BUYING_ROLE]->(:Opportunity)-[:FOR_ACCOUNT]->(x:Party)
  RETURN x
}
WITH DISTINCT x
// Interactions dated after today (UTC; $before is the start of tomorrow) are no follow-up
// yet (domain/signals.py `sleeping` counts those before the end of the day asked about): the
// day of the first of them is kept as nextInteractionDay, and `due` refreshes the party then.
CALL (x) {
  MATCH (i:Interaction)-[:WITH]->(x) WHERE i.at < $before
  WITH i ORDER BY i.at DESC LIMIT 1
  RETURN collect(i.at)[0] AS lastAt
}
CALL (x) {
  MATCH (i:Interaction)-[:WITH]->(x) WHERE i.at >= $before
  WITH i ORDER BY i.at LIMIT 1
  RETURN collect(i.at)[0] AS nextAt
}
CALL (x) {
  CALL (x) {
    MATCH (d:Person)-[r:BUYING_ROLE]->(x)
    RETURN d, r
    UNION
    MATCH (d:Person)-[r:BUYING_ROLE]->(:Opportunity)-[:FOR_ACCOUNT]->(x)
    RETURN d, r
  }
  WITH d, collect(r) AS marks
  WHERE any(r IN marks WHERE r.role IN ['DECISION_MAKER', 'APPROVER'])
  RETURN count(d) AS layer,
         count(CASE WHEN any(r IN marks WHERE r.attitude = 'SUPPORTER') THEN d END) AS supporters,
         count(CASE WHEN NOT EXISTS { (:Rep)-[:COVERS]->(d) } THEN d END) AS uncovered
}
WITH x, lastAt, nextAt, layer, supporters, uncovered,
     CASE WHEN x:Person THEN $personPoints ELSE $organizationPoints END AS points,
     CASE WHEN x.revenue IS NOT NULL AND x.annualPurchase > 0
          THEN toFloat(x.revenue) / x.annualPurchase
          ELSE x.shareOfWallet END AS sow
WITH x, lastAt, nextAt, layer, supporters, uncovered, sow,
     reduce(s = 0, f IN points |
       s + CASE WHEN x[f.field] IS NULL OR (x[f.field] IS :: STRING AND trim(x[f.field]) = '')
                THEN 0 ELSE f.points END) AS score,
     CASE WHEN lastAt IS NULL THEN x.customerSince
          ELSE date(datetime({epochMillis: lastAt.epochMillis})) END AS followedUp
SET x.profileScore = score,
    x.lastInteractionAt = lastAt,
    x.followUpDay = CASE WHEN followedUp IS NULL THEN 0
                         ELSE duration.inDays(date('1970-01-01'), followedUp).days END,
    x.nextInteractionDay = CASE WHEN nextAt IS NOT NULL
      THEN duration.inDays(date('1970-01-01'), date(datetime({epochMillis: nextAt.epochMillis}))).days
    END,
    // The RAD matrix (domain/model.py rad_cell): BP columns >1M 1, 500K..1M 2, <500K 3;
    // SOW rows >50% R, 10..50% D, <10% A.
    x.radCell = CASE WHEN x:Organization AND x.annualPurchase IS NOT NULL AND sow IS NOT NULL
                     THEN CASE WHEN sow > 0.5 THEN 'R' WHEN sow >= 0.1 THEN 'D' ELSE 'A' END
                        + CASE WHEN x.annualPurchase > 1000000 THEN '1'
                               WHEN x.annualPurchase >= 500000 THEN '2' ELSE '3' END
                END,
    x.decisionLayerNoSupporter = CASE WHEN layer > 0 AND supporters = 0 THEN true END,
    x.decisionLayerUncovered = CASE WHEN uncovered > 0 THEN true END
RETURN count(x) AS refreshed

// name: ids
// Every party id after $after (null: from the start), $limit of them in id order: the
// initial import and the migration refresh every party in batches of these.
MATCH (p:Party) WHERE p.id > coalesce($after, '')
WITH p.id AS id ORDER BY id LIMIT $limit
RETURN collect(id) AS ids

// name: stale
// Up to $limit parties never refreshed (written before the portfolio properties existed), in
// id order after $after (null: from the start): the id index walked from there, so batch after
// batch reads each party once.
MATCH (p:Party) WHERE p.id > coalesce($after, '') AND p.profileScore IS NULL
WITH p.id AS id ORDER BY id LIMIT $limit
RETURN collect(id) AS ids

// name: due
// Up to $limit parties whose first interaction after their last refresh has come
// (nextInteractionDay <= $today): refreshed, it becomes their last follow-up. From the
// sparse index of nextInteractionDay (only parties with an interaction ahead are in it).
MATCH (p:Party) WHERE p.nextInteractionDay <= $today
WITH p.id AS id ORDER BY id LIMIT $limit
RETURN collect(id) AS ids

// name: ahead_unmarked
// Up to $limit parties with an interaction dated after today that no refresh has seen as
// such (refreshed before nextInteractionDay existed, when a future interaction counted as
// their last follow-up): from the index of interactions' times. A migration; none later.
MATCH (i:Interaction) WHERE i.at >= $before
MATCH (i)-[:WITH]->(p:Party) WHERE p.nextInteractionDay IS NULL
WITH DISTINCT p.id AS id ORDER BY id LIMIT $limit
RETURN collect(id) AS ids

// name: book
// One page of a bounded list: the viewer's own book, a rep's or a team's, or everything a rep
// or manager may see (the visible ids). $source names where the candidates come from (the
// other book filters still apply); they are ordered by $order's key (`name`, `score` or `day`,
// descending when $desc, ties by ascending id) from the row after ($key, $id), $limit of them
// (the first page: $id null). The cost is the book's, never the graph's.
CALL () {
  {{PORTFOLIO_BOOK x}}
}
WITH x
WHERE {{PORTFOLIO_FILTERS x}}
WITH x, CASE $order WHEN 'name' THEN x.name WHEN 'score' THEN coalesce(x.profileScore, 0)
                    ELSE coalesce(x.followUpDay, 0) END AS key
WHERE $id IS NULL OR key = $key AND x.id > $id
   OR CASE WHEN $desc THEN key < $key ELSE key > $key END
WITH x, key
ORDER BY CASE WHEN $desc THEN key END DESC, CASE WHEN NOT $desc THEN key END, x.id
LIMIT $limit
RETURN {{PARTY_FIELDS x}} AS props, CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       key

// name: book_rad_counts
// Accounts per RAD cell in a bounded list (see `book`).
CALL () {
  {{PORTFOLIO_BOOK x}}
}
WITH x
WHERE x.radCell IS NOT NULL AND {{PORTFOLIO_FILTERS x}}
RETURN x.radCell AS cell, count(x) AS n

// The pages of the whole graph (an admin's list without a book): each walks the composite
// index of its order, (key, id), from the cursor and stops at $limit rows, so a page costs its
// rows (and the rows the filters pass over), never the whole graph. The rows after the cursor
// ($key, $id) are those of the cursor's key with a greater id (an equality seek of the index,
// in id order), then those of the keys after it (a range seek, in (key, id) order): two walks
// of at most $limit rows each. The first page: $key below (above, descending) every key.
// A decision-layer gap list walks the index (flag, key, id), which holds the flagged accounts
// only (variants `_no_supporter`, `_uncovered`); a list of one tier the index (tier, key, id)
// (variant `_tier`: strategic accounts are a few in ten thousand parties). Other filters are
// checked on the rows walked: a rare region walks the order's index until the page is full.
// Descending orders keep ties by ascending id, which no index walk gives: by name and by day,
// Neo4j sorts each key's rows as it walks (PartialTop: a name has a few hundred parties at a
// million, a day some thousands); by score, where one key has a hundred thousand parties at a
// million, the service asks key after key (`by_score_desc` returns the next key below, and
// is asked again there until the page is full).

// name: by_name
// prefix variants: no_supporter = decisionLayerNoSupporter = true | uncovered = decisionLayerUncovered = true | tier = tier = $tier
CALL () {
  MATCH (x:Party) WHERE {{PREFIX x}} AND x.name = $key AND x.id > $id
    AND {{PORTFOLIO_FILTERS x}}
  WITH x ORDER BY {{PREFIX_ORDER x}}x.name, x.id LIMIT $limit
  RETURN x
  UNION
  MATCH (x:Party) WHERE {{PREFIX x}} AND x.name > $key AND x.id IS NOT NULL
    AND {{PORTFOLIO_FILTERS x}}
  WITH x ORDER BY {{PREFIX_ORDER x}}x.name, x.id LIMIT $limit
  RETURN x
}
WITH x ORDER BY x.name, x.id LIMIT $limit
RETURN {{PARTY_FIELDS x}} AS props, CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       x.name AS key, null AS next

// name: by_name_desc
// prefix variants: no_supporter = decisionLayerNoSupporter = true | uncovered = decisionLayerUncovered = true | tier = tier = $tier
CALL () {
  MATCH (x:Party) WHERE {{PREFIX x}} AND x.name = $key AND x.id > $id
    AND {{PORTFOLIO_FILTERS x}}
  WITH x ORDER BY {{PREFIX_ORDER x}}x.name, x.id LIMIT $limit
  RETURN x
  UNION
  MATCH (x:Party) WHERE {{PREFIX x}} AND x.name < $key AND x.id IS NOT NULL
    AND {{PORTFOLIO_FILTERS x}}
  WITH x ORDER BY {{PREFIX_ORDER_DESC x}}x.name DESC, x.id LIMIT $limit
  RETURN x
}
WITH x ORDER BY x.name DESC, x.id LIMIT $limit
RETURN {{PARTY_FIELDS x}} AS props, CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       x.name AS key, null AS next

// name: by_score
// prefix variants: no_supporter = decisionLayerNoSupporter = true | uncovered = decisionLayerUncovered = true | tier = tier = $tier
CALL () {
  MATCH (x:Party) WHERE {{PREFIX x}} AND x.profileScore = $key AND x.id > $id
    AND {{PORTFOLIO_FILTERS x}}
  WITH x ORDER BY {{PREFIX_ORDER x}}x.profileScore, x.id LIMIT $limit
  RETURN x
  UNION
  MATCH (x:Party) WHERE {{PREFIX x}} AND x.profileScore > $key AND x.id IS NOT NULL
    AND {{PORTFOLIO_FILTERS x}}
  WITH x ORDER BY {{PREFIX_ORDER x}}x.profileScore, x.id LIMIT $limit
  RETURN x
}
WITH x ORDER BY x.profileScore, x.id LIMIT $limit
RETURN {{PARTY_FIELDS x}} AS props, CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       x.profileScore AS key, null AS next

// name: by_score_desc
// prefix variants: no_supporter = decisionLayerNoSupporter = true | uncovered = decisionLayerUncovered = true | tier = tier = $tier
// The rows of the key $key after $id, and the next key below $key (`next`: null at the end).
CALL () {
  MATCH (x:Party) WHERE {{PREFIX x}} AND x.profileScore = $key AND x.id > $id
    AND {{PORTFOLIO_FILTERS x}}
  WITH x ORDER BY {{PREFIX_ORDER x}}x.profileScore, x.id LIMIT $limit
  RETURN collect(x) AS rows
}
CALL () {
  MATCH (y:Party) WHERE {{PREFIX y}} AND y.profileScore < $key AND y.id IS NOT NULL
  WITH y ORDER BY {{PREFIX_ORDER_DESC y}}y.profileScore DESC, y.id DESC LIMIT 1
  RETURN collect(y.profileScore)[0] AS next
}
UNWIND CASE WHEN rows = [] THEN [null] ELSE rows END AS x
RETURN CASE WHEN x IS NOT NULL THEN {{PARTY_FIELDS x}} END AS props,
       CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       x.profileScore AS key, next

// name: by_follow_up
// prefix variants: no_supporter = decisionLayerNoSupporter = true | uncovered = decisionLayerUncovered = true | tier = tier = $tier
CALL () {
  MATCH (x:Party) WHERE {{PREFIX x}} AND x.followUpDay = $key AND x.id > $id
    AND {{PORTFOLIO_FILTERS x}}
  WITH x ORDER BY {{PREFIX_ORDER x}}x.followUpDay, x.id LIMIT $limit
  RETURN x
  UNION
  MATCH (x:Party) WHERE {{PREFIX x}} AND x.followUpDay > $key AND x.id IS NOT NULL
    AND {{PORTFOLIO_FILTERS x}}
  WITH x ORDER BY {{PREFIX_ORDER x}}x.followUpDay, x.id LIMIT $limit
  RETURN x
}
WITH x ORDER BY x.followUpDay, x.id LIMIT $limit
RETURN {{PARTY_FIELDS x}} AS props, CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       x.followUpDay AS key, null AS next

// name: by_follow_up_desc
// prefix variants: no_supporter = decisionLayerNoSupporter = true | uncovered = decisionLayerUncovered = true | tier = tier = $tier
CALL () {
  MATCH (x:Party) WHERE {{PREFIX x}} AND x.followUpDay = $key AND x.id > $id
    AND {{PORTFOLIO_FILTERS x}}
  WITH x ORDER BY {{PREFIX_ORDER x}}x.followUpDay, x.id LIMIT $limit
  RETURN x
  UNION
  MATCH (x:Party) WHERE {{PREFIX x}} AND x.followUpDay < $key AND x.id IS NOT NULL
    AND {{PORTFOLIO_FILTERS x}}
  WITH x ORDER BY {{PREFIX_ORDER_DESC x}}x.followUpDay DESC, x.id LIMIT $limit
  RETURN x
}
WITH x ORDER BY x.followUpDay DESC, x.id LIMIT $limit
RETURN {{PARTY_FIELDS x}} AS props, CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       x.followUpDay AS key, null AS next

// name: rad_counts
// Accounts per RAD cell in the whole graph (an admin's count without a book): one count per
// cell from the radCell index.
UNWIND $cells AS cell
CALL (cell) {
  MATCH (x:Party) WHERE x.radCell = cell AND {{PORTFOLIO_FILTERS x}}
  RETURN count(x) AS n
}
RETURN cell, n

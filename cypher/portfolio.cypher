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
CALL (x) {
  MATCH (i:Interaction)-[:WITH]->(x)
  WITH i ORDER BY i.at DESC LIMIT 1
  RETURN collect(i.at)[0] AS lastAt
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
WITH x, lastAt, layer, supporters, uncovered,
     CASE WHEN x:Person THEN $personPoints ELSE $organizationPoints END AS points,
     CASE WHEN x.revenue IS NOT NULL AND x.annualPurchase > 0
          THEN toFloat(x.revenue) / x.annualPurchase
          ELSE x.shareOfWallet END AS sow
WITH x, lastAt, layer, supporters, uncovered, sow,
     reduce(s = 0, f IN points |
       s + CASE WHEN x[f.field] IS NULL OR (x[f.field] IS :: STRING AND trim(x[f.field]) = '')
                THEN 0 ELSE f.points END) AS score,
     CASE WHEN lastAt IS NULL THEN x.customerSince
          ELSE date(datetime({epochMillis: lastAt.epochMillis})) END AS followedUp
SET x.profileScore = score,
    x.lastInteractionAt = lastAt,
    x.followUpDay = CASE WHEN followedUp IS NULL THEN 0
                         ELSE duration.inDays(date('1970-01-01'), followedUp).days END,
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

// name: book
// The candidates of a bounded list, with their sort keys, for the service to sort and page:
// the viewer's own book, a rep's or a team's, or the accounts flagged with a decision-layer
// gap. $source names where the candidates come from (the other book filters still apply).
CALL () {
  UNWIND CASE WHEN $source = 'TEAM' THEN [$team] ELSE [] END AS tid
  MATCH (:AccountTeam {id: tid})-[:COVERS_ACCOUNT]->(x:Party)
  RETURN x
  UNION
  UNWIND CASE WHEN $source = 'REP' THEN [$rep] ELSE [] END AS rid
  MATCH (r:Rep {id: rid})
  CALL (r) {
    MATCH (r)-[:COVERS]->(x:Party)
    RETURN x
    UNION
    MATCH (r)-[:MEMBER_OF|MANAGES]->(:AccountTeam)-[:COVERS_ACCOUNT]->(x:Party)
    RETURN x
  }
  RETURN x
  UNION
  UNWIND CASE WHEN $source = 'MINE' THEN $mineTeams ELSE [] END AS tid
  MATCH (:AccountTeam {id: tid})-[:COVERS_ACCOUNT]->(x:Party)
  RETURN x
  UNION
  UNWIND CASE WHEN $source = 'MINE' THEN $mineReps ELSE [] END AS rid
  MATCH (:Rep {id: rid})-[:COVERS]->(x:Party)
  RETURN x
  UNION
  UNWIND CASE WHEN $source = 'VISIBLE' THEN $visible ELSE [] END AS pid
  MATCH (x:Party {id: pid})
  RETURN x
  UNION
  WITH 1 AS one WHERE $source = 'NO_SUPPORTER'
  MATCH (x:Party) WHERE x.decisionLayerNoSupporter = true
  RETURN x
  UNION
  WITH 1 AS one WHERE $source = 'UNCOVERED'
  MATCH (x:Party) WHERE x.decisionLayerUncovered = true
  RETURN x
}
WITH x
WHERE {{PORTFOLIO_FILTERS x}}
RETURN x.id AS id, x.name AS name, coalesce(x.profileScore, 0) AS score,
       coalesce(x.followUpDay, 0) AS day, x.radCell AS radCell

// name: parties
// The parties of one page, by id (the page's order is the caller's).
UNWIND $ids AS pid
MATCH (x:Party {id: pid})
WHERE $visible IS NULL OR x.id IN $visible
RETURN {{PARTY_FIELDS x}} AS props, CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind

// The pages of the whole graph (an admin's list without a book): each walks the index of its
// order from the cursor and stops at $limit rows, so a page costs its rows (and the rows the
// filters pass over), never the whole graph. $key/$id: the last row of the page before (the
// first page: the smallest or largest key and '').

// name: by_name
MATCH (x:Party) WHERE x.name >= $key AND (x.name > $key OR x.id > $id)
  AND {{PORTFOLIO_FILTERS x}}
WITH x ORDER BY x.name, x.id LIMIT $limit
RETURN {{PARTY_FIELDS x}} AS props, CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       x.name AS key

// name: by_name_desc
MATCH (x:Party) WHERE x.name <= $key AND (x.name < $key OR x.id > $id)
  AND {{PORTFOLIO_FILTERS x}}
WITH x ORDER BY x.name DESC, x.id LIMIT $limit
RETURN {{PARTY_FIELDS x}} AS props, CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       x.name AS key

// name: by_score
MATCH (x:Party) WHERE x.profileScore >= $key AND (x.profileScore > $key OR x.id > $id)
  AND {{PORTFOLIO_FILTERS x}}
WITH x ORDER BY x.profileScore, x.id LIMIT $limit
RETURN {{PARTY_FIELDS x}} AS props, CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       x.profileScore AS key

// name: by_score_desc
MATCH (x:Party) WHERE x.profileScore <= $key AND (x.profileScore < $key OR x.id > $id)
  AND {{PORTFOLIO_FILTERS x}}
WITH x ORDER BY x.profileScore DESC, x.id LIMIT $limit
RETURN {{PARTY_FIELDS x}} AS props, CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       x.profileScore AS key

// name: by_follow_up
MATCH (x:Party) WHERE x.followUpDay >= $key AND (x.followUpDay > $key OR x.id > $id)
  AND {{PORTFOLIO_FILTERS x}}
WITH x ORDER BY x.followUpDay, x.id LIMIT $limit
RETURN {{PARTY_FIELDS x}} AS props, CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       x.followUpDay AS key

// name: by_follow_up_desc
MATCH (x:Party) WHERE x.followUpDay <= $key AND (x.followUpDay < $key OR x.id > $id)
  AND {{PORTFOLIO_FILTERS x}}
WITH x ORDER BY x.followUpDay DESC, x.id LIMIT $limit
RETURN {{PARTY_FIELDS x}} AS props, CASE WHEN x:Person THEN 'PERSON' ELSE 'ORGANIZATION' END AS kind,
       x.followUpDay AS key

// name: rad_counts
// Accounts per RAD cell in the whole graph (an admin's count without a book): one count per
// cell from the radCell index.
UNWIND $cells AS cell
CALL (cell) {
  MATCH (x:Party) WHERE x.radCell = cell AND {{PORTFOLIO_FILTERS x}}
  RETURN count(x) AS n
}
RETURN cell, n

// Type definitions of the peer: our model (cypher/import.cypher, graph_api/bulk/spec.py) for
// the Neo4j GraphQL library, shaped so that the benchmark's 360° view query (view360.graphql)
// answers the same fields with the same nesting as ours.
//
// Plain traversals use the library's own relationship fields and connections (children,
// managers, direct reports, events, interactions with their reps, sorted and paged by the
// library). What our view derives - the household and its holdings, people and holdings
// rolled up over subsidiaries, the nearest account team, relationship kinds seen from the
// party, the signals - are @cypher fields, since the library has no other way to express
// them; their Cypher follows cypher/view.cypher and graph_api/domain/signals.py.

// A coverage link's strength as our view reports it (cypher/view.cypher, docs/ANALYTICS.md
// "Earned strength"): the declared COVERS.strength combined with what the pair's
// interactions earned, from its ENGAGED accumulator, at the query's time, rounded to 4
// digits: graph_api/store/projection.py `coverage_strength("c", "r", "this")` with the
// service's clock (tests/unit/test_bench_harness.py checks the copy).
const coverageStrength =
  "coalesce(head([(r)-[earnedAcc:ENGAGED]->(this) | round(1.0 - (1.0 - coalesce(c.strength, 0.0)) / " +
  "(1.0 + CASE WHEN earnedAcc.active > 0 AND earnedAcc.passive > 0 THEN 1.0 ELSE 0.75 END * " +
  "exp(0.6931471805599453 * (earnedAcc.lacc - (datetime().epochSeconds - 1577836800) / 86400.0 / " +
  "earnedAcc.halfLife)) / 1.0), 4)]), c.strength)";

// Shared by Person and Organization: @cypher fields of an interface must be repeated on
// each implementing type.
const partyFields = `
  id: ID!
  name: String!
  tier: String
  grade: Int
  customerSince: Date
  interactions: [Interaction!]! @relationship(type: "WITH", direction: IN)
  coverage: [CoverageEntry!]!
    @cypher(
      statement: """
      MATCH (r:Rep)-[c:COVERS]->(this)
      WITH r, c, ${coverageStrength} AS strength
      ORDER BY strength DESC, r.id
      RETURN {rep: r {.id, .name}, strength: strength, kind: c.kind} AS coverage
      """
      columnName: "coverage"
    )
  relationships: [PartyRelationship!]!
    @cypher(
      statement: """
      MATCH (this)-[r:INFLUENCES|KNOWS]-(o:Party)
      WITH this, r, o ORDER BY type(r), r.strength DESC, o.id
      RETURN {
        kind: CASE WHEN type(r) = 'KNOWS' THEN 'KNOWS'
                   WHEN startNode(r) = this THEN 'INFLUENCES' ELSE 'INFLUENCED_BY' END,
        party: o {.id, .name}, strength: r.strength
      } AS relationships
      """
      columnName: "relationships"
    )
  accountTeams: [AccountTeamView!]!
    @cypher(
      statement: """
      MATCH p = (this)-[:PART_OF*0..]->(acct:Party)<-[:COVERS_ACCOUNT]-(t:AccountTeam)
      WITH t, acct, length(p) AS distance ORDER BY distance, t.id
      WITH t, head(collect(acct)) AS acct, min(distance) AS distance
      ORDER BY distance, t.name, t.id
      RETURN {
        id: t.id, name: t.name, account: acct {.id, .name},
        members: [(r:Rep)-[m:MEMBER_OF]->(t) | {rep: r {.id, .name}, role: m.role}]
      } AS accountTeams
      """
      columnName: "accountTeams"
    )
`;

// Signals as graph_api/domain/signals.py computes them, in Cypher. $asOf is the field's
// argument; interactions up to the end of that day (UTC) count.
const signals = (points) => `
  signals(asOf: Date!): Signals!
    @cypher(
      statement: """
      CALL (this) {
        MATCH (i:Interaction)-[:WITH]->(this)
        WHERE i.at < datetime({date: $asOf + duration({days: 1}), timezone: 'UTC'})
        WITH i ORDER BY i.at DESC LIMIT 1
        RETURN collect(i.at)[0] AS lastAt
      }
      WITH this, CASE WHEN lastAt IS NOT NULL
                      THEN date(datetime({datetime: lastAt, timezone: 'UTC'}))
                      ELSE this.customerSince END AS start
      WITH this, CASE WHEN start IS NULL THEN null
                      ELSE duration.inDays(start, $asOf).days END AS days
      WITH this, days, days IS NULL OR days >= 90 AS escalated,
           [f IN ${points} WHERE this[f[0]] IS NULL
              OR (this[f[0]] IS :: STRING AND trim(this[f[0]]) = '')] AS missing,
           reduce(total = 0, f IN ${points} | total + f[1]) AS allPoints
      WITH this, days, escalated, missing,
           allPoints - reduce(total = 0, f IN missing | total + f[1]) AS score
      RETURN {
        tier: this.tier, grade: this.grade,
        radCell: CASE WHEN this:Organization AND this.annualPurchase IS NOT NULL
                           AND this.shareOfWallet IS NOT NULL
          THEN CASE WHEN this.shareOfWallet > 0.5 THEN 'R'
                    WHEN this.shareOfWallet >= 0.1 THEN 'D' ELSE 'A' END
             + CASE WHEN this.annualPurchase > 1000000 THEN '1'
                    WHEN this.annualPurchase >= 500000 THEN '2' ELSE '3' END
          ELSE null END,
        sleeping: {
          daysSinceLastInteraction: days, sleeping: days IS NULL OR days >= 60,
          escalated: escalated,
          escalateTo: CASE WHEN NOT escalated THEN 'NONE'
                           WHEN this.grade >= 5 THEN 'HEAD_OF_SALES' ELSE 'MANAGEMENT' END
        },
        profile: {
          score: score, compliant: score >= 60,
          flagged: score < 60 AND coalesce(this.grade, 0) >= 3,
          missingFields: [f IN missing | {field: f[0], points: f[1]}]
        }
      } AS signals
      """
      columnName: "signals"
    )
`;

// graph_api/domain/signals.py: points per profile field, sorted as missingFields is
// (most points first, then by name).
const personPoints = `[['phone', 15], ['birthDate', 10], ['email', 10], ['homeAddress', 10],
  ['name', 10], ['occupation', 10], ['preferredChannel', 10], ['city', 5], ['gender', 5],
  ['preferredTime', 5], ['region', 5], ['source', 5]]`;
const organizationPoints = `[['industry', 15], ['address', 10], ['annualPurchase', 10],
  ['employees', 10], ['name', 10], ['phone', 10], ['region', 10], ['city', 5], ['orgType', 5],
  ['preferredChannel', 5], ['shareOfWallet', 5], ['website', 5]]`;

export const typeDefs = /* GraphQL */ `
  interface Party {
    id: ID!
    name: String!
    tier: String
    grade: Int
    customerSince: Date
    interactions: [Interaction!]! @declareRelationship
    coverage: [CoverageEntry!]!
    relationships: [PartyRelationship!]!
    accountTeams: [AccountTeamView!]!
    signals(asOf: Date!): Signals!
  }

  type Person implements Party @node(labels: ["Party", "Person"]) {
    ${partyFields}
    ${signals(personPoints)}
    managers: [Person!]! @relationship(type: "REPORTS_TO", direction: OUT)
    directReports: [Person!]! @relationship(type: "REPORTS_TO", direction: IN)
    employments: [Employment!]!
      @cypher(
        statement: """
        MATCH (this)-[w:WORKS_FOR]->(o:Organization)
        WITH w, o ORDER BY coalesce(w.primary, false) DESC, o.name, o.id
        RETURN {organization: o {.id, .name}, title: w.title,
                department: w.department} AS employments
        """
        columnName: "employments"
      )
    household: [HouseholdMember!]!
      @cypher(
        statement: """
        MATCH (this)-[f:FAMILY]-(m:Person)
        WITH m, CASE WHEN f.kind = 'PARENT' AND startNode(f) = this THEN 'CHILD'
                     WHEN f.kind = 'PARENT' THEN 'PARENT' ELSE f.kind END AS relation
        ORDER BY relation, m.name, m.id
        RETURN {person: m {.id, .name}, relation: relation} AS household
        """
        columnName: "household"
      )
    householdHoldings: [HouseholdHolding!]!
      @cypher(
        statement: """
        CALL (this) {
          RETURN this AS holder, null AS relation
          UNION
          MATCH (this)-[f:FAMILY]-(holder:Person)
          RETURN holder, CASE WHEN f.kind = 'PARENT' AND startNode(f) = this THEN 'CHILD'
                              WHEN f.kind = 'PARENT' THEN 'PARENT' ELSE f.kind END AS relation
        }
        WITH holder, head(collect(relation)) AS relation
        MATCH (holder)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product)
        WITH holder, relation, h, prod
        ORDER BY relation IS NOT NULL, holder.name, holder.id, prod.name, h.id
        RETURN {
          holder: holder {.id, .name}, householdRelation: relation,
          product: prod {.id, .name}, amount: h.amount,
          beneficiaries: [(b:Person)-[bo:BENEFICIARY_OF]->(h) |
                          {person: b {.id, .name}, share: bo.share}]
        } AS householdHoldings
        """
        columnName: "householdHoldings"
      )
  }

  type Organization implements Party @node(labels: ["Party", "Organization"]) {
    ${partyFields}
    ${signals(organizationPoints)}
    children: [Organization!]! @relationship(type: "PART_OF", direction: IN)
    events: [BusinessEvent!]! @relationship(type: "HAS_EVENT", direction: OUT)
    ancestors: [Organization!]!
      @cypher(
        statement: """
        MATCH p = (this)-[:PART_OF*1..]->(a:Organization)
        WITH a ORDER BY length(p)
        RETURN a
        """
        columnName: "a"
      )
    people(first: Int! = 20, includeSubsidiaries: Boolean! = false): PeoplePage!
      @cypher(
        statement: """
        CALL (this) {
          MATCH (unit:Organization)-[:PART_OF*0..]->(this) WHERE $includeSubsidiaries OR unit = this
          MATCH (:Person)-[w:WORKS_FOR]->(unit)
          RETURN count(w) AS total
        }
        CALL (this) {
          MATCH (unit:Organization)-[:PART_OF*0..]->(this) WHERE $includeSubsidiaries OR unit = this
          MATCH (p:Person)-[w:WORKS_FOR]->(unit)
          WITH p, w, unit ORDER BY p.name, p.id, unit.id LIMIT $first
          RETURN collect({node: p {.id, .name}, title: w.title,
                          organization: unit {.id, .name}}) AS edges
        }
        RETURN {totalCount: total, edges: edges} AS page
        """
        columnName: "page"
      )
    holdings(includeSubsidiaries: Boolean! = false): [OrganizationHolding!]!
      @cypher(
        statement: """
        MATCH (unit:Organization)-[:PART_OF*0..]->(this) WHERE $includeSubsidiaries OR unit = this
        MATCH (unit)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product)
        WITH unit, h, prod ORDER BY unit <> this, unit.name, unit.id, prod.name, h.id
        RETURN {holder: unit {.id, .name}, product: prod {.id, .name}} AS holdings
        """
        columnName: "holdings"
      )
    openOpportunities(includeSubsidiaries: Boolean! = false): [OpenOpportunity!]!
      @cypher(
        statement: """
        MATCH (unit:Organization)-[:PART_OF*0..]->(this) WHERE $includeSubsidiaries OR unit = this
        MATCH (o:Opportunity)-[:FOR_ACCOUNT]->(unit)
        WHERE NOT o.stage IN ['WON', 'LOST']
        WITH o ORDER BY o.closeDate, o.id
        RETURN {
          id: o.id, name: o.name, stage: o.stage, amount: o.amount, closeDate: o.closeDate,
          probability: CASE o.stage WHEN 'IDENTIFIED' THEN 0.1 WHEN 'CONTACTED' THEN 0.25
            WHEN 'QUALIFIED' THEN 0.5 WHEN 'DEVELOPED' THEN 0.75 WHEN 'COMMITTED' THEN 0.9
            WHEN 'WON' THEN 1.0 ELSE 0.0 END,
          buyingCentre: [(p:Person)-[b:BUYING_ROLE]->(o) |
                         {person: p {.id, .name}, role: b.role, attitude: b.attitude}]
        } AS opportunities
        """
        columnName: "opportunities"
      )
  }

  type Interaction @node {
    id: ID!
    kind: String!
    at: String! # a DateTime in the database; see server.mjs
    subject: String
    reps: [Rep!]! @relationship(type: "CONDUCTED", direction: IN)
  }

  type Rep @node {
    id: ID!
    name: String!
  }

  type BusinessEvent @node {
    id: ID!
    title: String!
    date: Date
  }

  # Plain object types: the values of the @cypher fields above.
  type NamedRef {
    id: ID!
    name: String!
  }
  type CoverageEntry {
    rep: NamedRef!
    strength: Float
    kind: String
  }
  type PartyRelationship {
    kind: String!
    party: NamedRef!
    strength: Float
  }
  type TeamMember {
    rep: NamedRef!
    role: String
  }
  type AccountTeamView {
    id: ID!
    name: String!
    account: NamedRef!
    members: [TeamMember!]!
  }
  type Employment {
    organization: NamedRef!
    title: String
    department: String
  }
  type HouseholdMember {
    person: NamedRef!
    relation: String!
  }
  type Beneficiary {
    person: NamedRef!
    share: Float
  }
  type HouseholdHolding {
    holder: NamedRef!
    householdRelation: String
    product: NamedRef!
    amount: Float
    beneficiaries: [Beneficiary!]!
  }
  type OrganizationHolding {
    holder: NamedRef!
    product: NamedRef!
  }
  type PersonAtUnit {
    node: NamedRef!
    title: String
    organization: NamedRef!
  }
  type PeoplePage {
    totalCount: Int!
    edges: [PersonAtUnit!]!
  }
  type BuyingCentreMember {
    person: NamedRef!
    role: String
    attitude: String
  }
  type OpenOpportunity {
    id: ID!
    name: String!
    stage: String!
    probability: Float!
    amount: Float
    closeDate: Date
    buyingCentre: [BuyingCentreMember!]!
  }
  type Sleeping {
    daysSinceLastInteraction: Int
    sleeping: Boolean!
    escalated: Boolean!
    escalateTo: String!
  }
  type MissingField {
    field: String!
    points: Int!
  }
  type Profile {
    score: Int!
    compliant: Boolean!
    flagged: Boolean!
    missingFields: [MissingField!]!
  }
  type Signals {
    tier: String
    grade: Int
    radCell: String
    sleeping: Sleeping!
    profile: Profile!
  }
`;

// The GraphQL documents the explorer sends: every view is one request to the public API.

export const SEARCH = `query Search($text: String!) {
  search(text: $text, first: 12) {
    edges { score node { id name kind ... on Person { employments { organization { name } title } }
                                       ... on Organization { orgType city } } }
  }
}`;

export const PARTY = `query Party($id: ID!) {
  party(id: $id) {
    id name kind aliases tier grade confidential customerSince masked
    signals {
      tier grade radCell
      sleeping { daysSinceLastInteraction sleeping escalated escalateTo windowDays }
      profile { score threshold compliant flagged missingFields { field points } }
    }
    interactions(first: 5) {
      totalCount edges { node { id at kind subject reps { name } } }
    }
    coverage { rep { id name } strength kind }
    relationships { kind party { id name } strength influenceKind context }
    accountTeams { id name account { id name } }
    ... on Person {
      gender city region occupation birthDate phone email homeAddress
      employments { organization { id name ancestors { id name } } title department primary }
      managers { id name } directReports { id name }
      household { person { id name } relation }
      holdings { id product { name } amount status }
      householdHoldings { id holder { id name } householdRelation product { name } amount
                          beneficiaries { person { name } share } }
    }
    ... on Organization {
      orgType industry city address employees radCell shareOfWallet
      parent { id name } ancestors { id name } children { id name }
      people(first: 1, includeSubsidiaries: true) { totalCount }
      holdings(includeSubsidiaries: true) { id holder { id name } product { name } amount status }
      openOpportunities(includeSubsidiaries: true) { id name stage probability amount closeDate }
    }
  }
}`;

export const ORG_CHART = `query Chart($id: ID!, $depth: Int!, $subs: Boolean!, $influence: Boolean!) {
  orgChart(organizationId: $id, depth: $depth, includeSubsidiaries: $subs,
           includeInfluence: $influence) {
    organization { id name }
    nodes { id person { name } organization { id name } title department managerId level
            role attitude influence coverage { rep { id name } strength kind } external }
    edges { source target type strength kind }
    subCharts { organization { id name } parentId level nodeIds }
  }
}`;

export const DECIDERS = `query Deciders($id: ID!, $subs: Boolean!) {
  keyDeciders(accountId: $id, includeSubsidiaries: $subs, limit: 10) {
    rank score person { id name } title organizationName external role attitude influence level
    coverage { rep { name } strength } explanation
  }
  decisionAssessment(accountId: $id, includeSubsidiaries: $subs) {
    accountName decisionLayerSupportsUs supportAnswer relationshipsAtEveryLevel coverageAnswer
    opponents { person { id } }
    levels { level people covered uncoveredIds }
    risks { kind severity message personId level viaIds }
  }
}`;

export const INTRODUCTIONS = `query Intros($id: ID!) {
  warmIntroductions(targetId: $id, limit: 5) {
    weight hops explanation nodes { id kind label } links { source target type label strength }
  }
}`;

export const CROSS_SELL = `query CrossSell($id: ID!) {
  crossSell(partyId: $id, limit: 5) {
    popularityFallback
    suggestions { rank score kinds formerlyHeld product { id name }
      evidence { kind probability reason
        path { explanation nodes { id kind label } links { source target type label strength } } } }
  }
}`;

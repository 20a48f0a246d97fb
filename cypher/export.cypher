// Export: one query per section of the import format (graph_api/bulk/spec.py), read in pages
// of $limit nodes in id order after $after (each label's id index gives the order). Node rows
// return the node's properties and the ids its single-valued and list references point at;
// link rows return, per start node, its links of the section's kind. The exporter keeps
// only the properties the format declares (not version, createdAt, updatedAt).

// name: organizations
MATCH (n:Organization) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, properties(n) AS props,
       {parentId: head([(n)-[:PART_OF]->(p:Organization) | p.id])} AS refs

// name: people
MATCH (n:Person) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, properties(n) AS props, {} AS refs

// name: reps
MATCH (n:Rep) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, properties(n) AS props,
       {managerId: head([(n)-[:MANAGED_BY]->(m:Rep) | m.id])} AS refs

// name: accountTeams
MATCH (n:AccountTeam) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, properties(n) AS props,
       {managerId: head([(m:Rep)-[:MANAGES]->(n) | m.id])} AS refs

// name: products
MATCH (n:Product) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, properties(n) AS props, {} AS refs

// name: opportunities
MATCH (n:Opportunity) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, properties(n) AS props,
       {accountId: head([(n)-[:FOR_ACCOUNT]->(a:Party) | a.id]),
        ownerId: head([(o:Rep)-[:OWNS]->(n) | o.id]),
        productIds: [(n)-[:INCLUDES]->(p:Product) | p.id]} AS refs

// name: holdings
MATCH (n:Holding) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, properties(n) AS props,
       {partyId: head([(a:Party)-[:HOLDS]->(n) | a.id]),
        productId: head([(n)-[:OF_PRODUCT]->(p:Product) | p.id])} AS refs

// name: interactions
MATCH (n:Interaction) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, properties(n) AS props,
       {partyIds: [(n)-[:WITH]->(p:Party) | p.id],
        repIds: [(r:Rep)-[:CONDUCTED]->(n) | r.id],
        opportunityId: head([(n)-[:ABOUT]->(o:Opportunity) | o.id])} AS refs

// name: events
MATCH (n:BusinessEvent) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, properties(n) AS props,
       {organizationId: head([(o:Party)-[:HAS_EVENT]->(n) | o.id])} AS refs

// name: affinityRules
MATCH (n:AffinityRule) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, properties(n) AS props,
       {whenProductId: head([(n)-[:WHEN_HOLDS]->(p:Product) | p.id]),
        suggestsProductIds: [(n)-[:SUGGESTS]->(p:Product) | p.id]} AS refs

// name: competitors
MATCH (n:Competitor) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, properties(n) AS props, {} AS refs

// name: tasAnswers
MATCH (n:TasAnswer) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, properties(n) AS props,
       {opportunityId: head([(n)-[:ANSWERS]->(o:Opportunity) | o.id])} AS refs

// ----- links: per start node, its links of one kind -----
// A kind with history: its current links and its closed periods (WAS_<type>) alike; the
// period is among the link's properties.

// name: employment
MATCH (n:Person) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, [(n)-[r:WORKS_FOR|WAS_WORKS_FOR]->(o:Organization) |
         {key: {personId: n.id, organizationId: o.id}, props: properties(r)}] AS links

// name: reporting
MATCH (n:Person) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, [(n)-[r:REPORTS_TO|WAS_REPORTS_TO]->(m:Person) |
         {key: {personId: n.id, managerId: m.id}, props: properties(r)}] AS links

// name: family
MATCH (n:Person) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, [(n)-[r:FAMILY|WAS_FAMILY]->(b:Person) |
         {key: {fromId: n.id, toId: b.id}, props: properties(r)}] AS links

// name: beneficiaries
MATCH (n:Person) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, [(n)-[r:BENEFICIARY_OF]->(h:Holding) |
         {key: {personId: n.id, holdingId: h.id}, props: properties(r)}] AS links

// name: buyingRoles
MATCH (n:Person) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, [(n)-[r:BUYING_ROLE|WAS_BUYING_ROLE]->(t) WHERE t:Party OR t:Opportunity |
         {key: CASE WHEN t:Opportunity THEN {personId: n.id, opportunityId: t.id}
                    ELSE {personId: n.id, accountId: t.id} END,
          props: properties(r)}] AS links

// name: influence
MATCH (n:Person) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, [(n)-[r:INFLUENCES|WAS_INFLUENCES]->(b:Person) |
         {key: {fromId: n.id, toId: b.id}, props: properties(r)}] AS links

// name: acquaintance
MATCH (n:Party) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, [(n)-[r:KNOWS|WAS_KNOWS]->(b:Party) |
         {key: {fromId: n.id, toId: b.id}, props: properties(r)}] AS links

// name: coverage
MATCH (n:Rep) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, [(n)-[r:COVERS|WAS_COVERS]->(p:Party) |
         {key: {repId: n.id, personId: p.id}, props: properties(r)}] AS links

// name: competitorOpportunities
MATCH (n:Competitor) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, [(n)-[r:COMPETES_FOR]->(o:Opportunity) |
         {key: {competitorId: n.id, opportunityId: o.id}, props: properties(r)}] AS links

// name: competitorCoverage
MATCH (n:Competitor) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, [(n)-[r:COMPETITOR_COVERS|WAS_COMPETITOR_COVERS]->(p:Person) |
         {key: {competitorId: n.id, personId: p.id}, props: properties(r)}] AS links

// name: teamMembers
MATCH (n:Rep) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, [(n)-[r:MEMBER_OF|WAS_MEMBER_OF]->(t:AccountTeam) |
         {key: {teamId: t.id, repId: n.id}, props: properties(r)}] AS links

// name: teamAccounts
MATCH (n:AccountTeam) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN n.id AS id, [(n)-[r:COVERS_ACCOUNT|WAS_COVERS_ACCOUNT]->(p:Party) |
         {key: {teamId: n.id, partyId: p.id}, props: properties(r)}] AS links

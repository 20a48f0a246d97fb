"""GraphQL types: thin views of the domain dataclasses and enums."""

import datetime

import strawberry

from graph_api.domain import model as m

# Domain enums, registered with strawberry and exposed under their own names.
strawberry.enum(m.PartyKind, description="A party is a person or an organization.")
strawberry.enum(m.OrgType, description="Place of an organization in its structure.")
strawberry.enum(m.Tier, description="客户分层: STRATEGIC (Top-10), MID, NON_STRATEGIC.")
strawberry.enum(m.FamilyKind, description="Family link, read from the viewed party.")
strawberry.enum(m.BuyingRole, description="Buying-centre role: 决 审 研 咨 用.")
strawberry.enum(m.Attitude, description="Attitude to us: + = - X.")
strawberry.enum(m.InfluenceLevel)
strawberry.enum(m.RepRole, description="AE outside sales, SR inside sales.")
strawberry.enum(m.ProductSegment)
strawberry.enum(m.HoldingStatus)
strawberry.enum(m.OpportunityStage, description="Funnel level.")
strawberry.enum(m.InteractionKind)
strawberry.enum(m.InteractionDirection)
strawberry.enum(m.InteractionPurpose)
strawberry.enum(m.Channel)
strawberry.enum(m.Gender)


@strawberry.interface(description="A customer: one node per real person or organization.")
class Party:
    id: strawberry.ID
    kind: m.PartyKind
    name: str
    aliases: list[str]
    tier: m.Tier | None
    grade: int | None
    confidential: bool
    customer_since: datetime.date | None
    preferred_channel: m.Channel | None
    source: str | None = strawberry.field(description="Where we learnt of the customer.")
    version: int = strawberry.field(description="Increases with every change (optimistic locking).")


@strawberry.type(description="A person: consumer, employee or contact, relative.")
class Person(Party):
    gender: m.Gender | None
    birth_date: datetime.date | None
    phone: str | None
    email: str | None
    home_address: str | None
    city: str | None
    region: str | None
    occupation: str | None
    preferred_time: str | None

    @classmethod
    def from_domain(cls, p: m.Person) -> "Person":
        return cls(
            id=strawberry.ID(p.id),
            kind=m.PartyKind.PERSON,
            name=p.name,
            aliases=list(p.aliases),
            tier=p.tier,
            grade=p.grade,
            confidential=p.confidential,
            customer_since=p.customer_since,
            preferred_channel=p.preferred_channel,
            source=p.source,
            version=p.version,
            gender=p.gender,
            birth_date=p.birth_date,
            phone=p.phone,
            email=p.email,
            home_address=p.home_address,
            city=p.city,
            region=p.region,
            occupation=p.occupation,
            preferred_time=p.preferred_time,
        )


@strawberry.type(description="An organization: group, head office, branch, subsidiary, ...")
class Organization(Party):
    org_type: m.OrgType | None
    industry: str | None
    region: str | None
    city: str | None
    address: str | None
    phone: str | None
    website: str | None
    employees: int | None
    annual_purchase: float | None = strawberry.field(description="Buying power per year.")
    share_of_wallet: float | None = strawberry.field(description="Our share, 0..1.")
    rad_cell: str | None = strawberry.field(
        description="Key-account RAD cell (R1..A3): share of wallet band x buying power column."
    )

    @classmethod
    def from_domain(cls, o: m.Organization) -> "Organization":
        return cls(
            id=strawberry.ID(o.id),
            kind=m.PartyKind.ORGANIZATION,
            name=o.name,
            aliases=list(o.aliases),
            tier=o.tier,
            grade=o.grade,
            confidential=o.confidential,
            customer_since=o.customer_since,
            preferred_channel=o.preferred_channel,
            source=o.source,
            version=o.version,
            org_type=o.org_type,
            industry=o.industry,
            region=o.region,
            city=o.city,
            address=o.address,
            phone=o.phone,
            website=o.website,
            employees=o.employees,
            annual_purchase=o.annual_purchase,
            share_of_wallet=o.share_of_wallet,
            rad_cell=o.rad_cell,
        )


def party_to_gql(p: m.Party) -> Person | Organization:
    if isinstance(p, m.Person):
        return Person.from_domain(p)
    return Organization.from_domain(p)


@strawberry.type(description="A node of a drawn path.")
class PathNode:
    id: strawberry.ID
    kind: str = strawberry.field(
        description="PERSON, ORGANIZATION, REP, PRODUCT, HOLDING, RULE, EVENT or OPPORTUNITY."
    )
    label: str

    @classmethod
    def from_domain(cls, n: m.PathNode) -> "PathNode":
        return cls(id=strawberry.ID(n.id), kind=n.kind, label=n.label)


@strawberry.type(description="A link of a drawn path, oriented along the path.")
class PathLink:
    source: strawberry.ID
    target: strawberry.ID
    type: str = strawberry.field(description="Relationship type, e.g. WORKS_FOR, FAMILY, COVERS.")
    label: str = strawberry.field(description="Human wording, e.g. 'spouse', 'CFO'.")
    strength: float | None

    @classmethod
    def from_domain(cls, link: m.PathLink) -> "PathLink":
        return cls(
            source=strawberry.ID(link.source),
            target=strawberry.ID(link.target),
            type=link.type,
            label=link.label,
            strength=link.strength,
        )


@strawberry.type(description="A path through the graph: nodes in order and the links between.")
class GraphPath:
    nodes: list[PathNode]
    links: list[PathLink]
    hops: int
    weight: float | None
    explanation: str

    @classmethod
    def from_domain(cls, p: m.GraphPath) -> "GraphPath":
        return cls(
            nodes=[PathNode.from_domain(n) for n in p.nodes],
            links=[PathLink.from_domain(link) for link in p.links],
            hops=p.hops,
            weight=p.weight,
            explanation=p.explanation,
        )

"""GraphQL types: thin views of the domain dataclasses and enums."""

import datetime

import strawberry

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.context import Info
from graph_api.api.view import view_part
from graph_api.api.view_types import (
    AccountTeam,
    BusinessEvent,
    Coverage,
    EmployeeConnection,
    Employment,
    Holding,
    HouseholdMember,
    InteractionConnection,
    Opportunity,
    Relationship,
    Signals,
)
from graph_api.domain import model as m
from graph_api.domain.access import SENSITIVE_PERSON_FIELDS
from graph_api.domain.model import reported_or_none
from graph_api.services.view360 import (
    SignalsArgs,
    SubsidiariesArgs,
    ViewPart,
    interactions_args,
    people_args,
)


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

    @strawberry.field(
        description=(
            "The fields withheld from you for this party (null or empty here): a person's "
            "birthDate, phone, email, homeAddress, household, householdHoldings, holdings and "
            "beneficiaryOf unless your role opens them (README, Security). Empty: nothing "
            "masked."
        )
    )
    def masked(self, info: Info) -> list[str]:
        if isinstance(self, Person) and not sensitive_open(info, self.id):
            return list(SENSITIVE_PERSON_FIELDS)
        return []

    @strawberry.field(
        description=(
            "Contacts with the party (visits, calls, complaints, ...), newest first, ties by id. "
            "`first` is 1..GRAPH_API_MAX_PAGE_SIZE (default GRAPH_API_DEFAULT_PAGE_SIZE)."
        )
    )
    async def interactions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> InteractionConnection | None:
        args = interactions_args(first, after, info.context.settings)
        page = await view_part(info, self.id, ViewPart.INTERACTIONS, args)
        return InteractionConnection.from_domain(page)

    @strawberry.field(
        description=(
            "Tier, RAD cell, sleeping flag and profile completeness as of `asOf` "
            "(default: today, UTC). Interactions after that day are not counted."
        )
    )
    async def signals(self, info: Info, as_of: datetime.date | None = None) -> Signals:
        return Signals.from_domain(
            await view_part(info, self.id, ViewPart.SIGNALS, SignalsArgs(as_of))
        )

    @strawberry.field(description="Which of our reps cover the party, strongest first.")
    async def coverage(self, info: Info) -> list[Coverage]:
        return [Coverage.from_domain(c) for c in await view_part(info, self.id, ViewPart.COVERAGE)]

    @strawberry.field(description="Influence (who listens to whom) and acquaintance links.")
    async def relationships(self, info: Info) -> list[Relationship]:
        items = await view_part(info, self.id, ViewPart.RELATIONSHIPS)
        return [Relationship.from_domain(r) for r in items]

    @strawberry.field(
        description=(
            "Account teams covering the party or (for an organization) one of its ancestors, "
            "nearest first."
        )
    )
    async def account_teams(self, info: Info) -> list[AccountTeam]:
        items = await view_part(info, self.id, ViewPart.ACCOUNT_TEAMS)
        return [AccountTeam.from_domain(t) for t in items]


def sensitive_open(info: Info, party_id: str) -> bool:
    """Whether the viewer sees this person's sensitive fields; masked when the request's
    access is not known (fail closed)."""
    access = info.context.known_access()
    return access is not None and access.sees_sensitive(party_id)


_SENSITIVE = "Sensitive: null unless your role opens it (see `masked`)."


@strawberry.type(description="A person: consumer, employee or contact, relative.")
class Person(Party):
    gender: m.Gender | None
    # The stored values of the sensitive fields; the fields below mask them.
    stored_birth_date: strawberry.Private[datetime.date | None]
    stored_phone: strawberry.Private[str | None]
    stored_email: strawberry.Private[str | None]
    stored_home_address: strawberry.Private[str | None]
    city: str | None
    region: str | None
    occupation: str | None
    preferred_time: str | None

    @strawberry.field(description=_SENSITIVE)
    def birth_date(self, info: Info) -> datetime.date | None:
        return self.stored_birth_date if sensitive_open(info, self.id) else None

    @strawberry.field(description=_SENSITIVE)
    def phone(self, info: Info) -> str | None:
        return self.stored_phone if sensitive_open(info, self.id) else None

    @strawberry.field(description=_SENSITIVE)
    def email(self, info: Info) -> str | None:
        return self.stored_email if sensitive_open(info, self.id) else None

    @strawberry.field(description=_SENSITIVE)
    def home_address(self, info: Info) -> str | None:
        return self.stored_home_address if sensitive_open(info, self.id) else None

    @strawberry.field(description="Employers and contact roles, the primary one first.")
    async def employments(self, info: Info) -> list[Employment]:
        items = await view_part(info, self.id, ViewPart.EMPLOYMENTS)
        return [Employment.from_domain(e) for e in items]

    @strawberry.field(description="The people this person reports to.")
    async def managers(self, info: Info) -> list["Person"]:
        return [Person.from_domain(p) for p in await view_part(info, self.id, ViewPart.MANAGERS)]

    @strawberry.field(description="The people reporting to this person.")
    async def direct_reports(self, info: Info) -> list["Person"]:
        items = await view_part(info, self.id, ViewPart.DIRECT_REPORTS)
        return [Person.from_domain(p) for p in items]

    @strawberry.field(
        description=(
            "The household: everyone linked to the person by one family link (spouse, "
            "parents, children, siblings, other). Relatives of relatives are not included."
        )
    )
    async def household(self, info: Info) -> list[HouseholdMember]:
        items = await view_part(info, self.id, ViewPart.HOUSEHOLD)
        return [HouseholdMember.from_domain(h) for h in items]

    @strawberry.field(
        description=(
            "Holdings of the whole household (the person's first), each with its holder, "
            "the holder's relation to the person and the beneficiaries."
        )
    )
    async def household_holdings(self, info: Info) -> list[Holding]:
        items = await view_part(info, self.id, ViewPart.HOUSEHOLD_HOLDINGS)
        return [Holding.from_domain(h) for h in items]

    @strawberry.field(description="Products the person holds.")
    async def holdings(self, info: Info) -> list[Holding]:
        return [Holding.from_domain(h) for h in await view_part(info, self.id, ViewPart.HOLDINGS)]

    @strawberry.field(description="Holdings (policies) the person is a beneficiary of.")
    async def beneficiary_of(self, info: Info) -> list[Holding]:
        items = await view_part(info, self.id, ViewPart.BENEFICIARY_OF)
        return [Holding.from_domain(h) for h in items]

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
            stored_birth_date=p.birth_date,
            stored_phone=p.phone,
            stored_email=p.email,
            stored_home_address=p.home_address,
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

    @strawberry.field(description="The organization this one is part of.")
    async def parent(self, info: Info) -> "Organization | None":
        ancestors = await view_part(info, self.id, ViewPart.ANCESTORS)
        return Organization.from_domain(ancestors[0]) if ancestors else None

    @strawberry.field(description="The parent chain up to the top, the parent first.")
    async def ancestors(self, info: Info) -> list["Organization"]:
        items = await view_part(info, self.id, ViewPart.ANCESTORS)
        return [Organization.from_domain(o) for o in items]

    @strawberry.field(description="Branches, subsidiaries and departments directly below.")
    async def children(self, info: Info) -> list["Organization"]:
        items = await view_part(info, self.id, ViewPart.CHILDREN)
        return [Organization.from_domain(o) for o in items]

    @strawberry.field(
        description=(
            "People working for the organization (and, with includeSubsidiaries, for every "
            "organization below it), by name, ties by id."
        )
    )
    async def people(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        include_subsidiaries: bool = False,
    ) -> EmployeeConnection | None:
        args = people_args(first, after, include_subsidiaries, info.context.settings)
        page = await view_part(info, self.id, ViewPart.PEOPLE, args)
        return EmployeeConnection.from_domain(page)

    @strawberry.field(
        description=(
            "Products held by the organization; with includeSubsidiaries, rolled up over "
            "every branch and subsidiary below it (each holding says who holds it)."
        )
    )
    async def holdings(self, info: Info, include_subsidiaries: bool = False) -> list[Holding]:
        args = SubsidiariesArgs(include_subsidiaries)
        items = await view_part(info, self.id, ViewPart.ORGANIZATION_HOLDINGS, args)
        return [Holding.from_domain(h) for h in items]

    @strawberry.field(
        description=(
            "Opportunities not yet won or lost, by close date; with includeSubsidiaries also "
            "those of the organizations below it."
        )
    )
    async def open_opportunities(
        self, info: Info, include_subsidiaries: bool = False
    ) -> list[Opportunity]:
        args = SubsidiariesArgs(include_subsidiaries)
        items = await view_part(info, self.id, ViewPart.OPEN_OPPORTUNITIES, args)
        return [Opportunity.from_domain(o) for o in items]

    @strawberry.field(description="News and business events, newest first.")
    async def events(self, info: Info) -> list[BusinessEvent]:
        return [
            BusinessEvent.from_domain(e) for e in await view_part(info, self.id, ViewPart.EVENTS)
        ]

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
            strength=reported_or_none(link.strength),
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
            weight=reported_or_none(p.weight),
            explanation=p.explanation,
        )

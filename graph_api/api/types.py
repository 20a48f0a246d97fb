"""GraphQL types of parties and of the 360° view's parts that lead to parties.

The parts that do not (reps, products, interactions, signals, pages) are in view_types.py,
which imports nothing from here: the two modules form no cycle.
"""

from __future__ import annotations

import datetime

import strawberry

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.arguments import After, AsOf, First, IncludeSubsidiaries
from graph_api.api.context import Info
from graph_api.api.declared import (
    declared_field,
    declared_fields,
    declared_values,
    described_by,
    stamp_values,
    stamped,
)
from graph_api.api.view import view_part
from graph_api.api.view_types import (
    BusinessEvent,
    Coverage,
    InteractionConnection,
    Node,
    PageInfo,
    Product,
    Rep,
    Signals,
    TeamMember,
)
from graph_api.domain import model as m
from graph_api.domain import view as v
from graph_api.domain.access import SENSITIVE_PERSON_FIELDS
from graph_api.domain.model import reported_or_none
from graph_api.services.view360 import (
    SubsidiariesArgs,
    ViewPart,
    interactions_args,
    people_args,
    signals_args,
)

# ----- the 360° view's parts that lead to parties -----


@described_by("employment")
@strawberry.type(description="A person's job or contact role at an organization.")
@stamped()
class Employment:
    organization: Organization
    title: str | None
    department: str | None
    since: datetime.date | None
    primary: bool = strawberry.field(description="The person's main employer.")

    @classmethod
    def from_domain(cls, e: v.Employment, as_of: datetime.date | None = None) -> Employment:
        return cls(
            **stamp_values(e),
            organization=Organization.from_domain(e.organization, as_of),
            title=e.title,
            department=e.department,
            since=e.since,
            primary=e.primary,
        )


@strawberry.type(description="A relative of the viewed person.")
@stamped()
class HouseholdMember:
    person: Person = strawberry.field(description="The relative.")
    relation: m.FamilyKind = strawberry.field(
        description="What the member is to the viewed person: CHILD = the member is their child."
    )

    @classmethod
    def from_domain(
        cls, h: v.HouseholdMember, as_of: datetime.date | None = None
    ) -> HouseholdMember:
        return cls(
            **stamp_values(h), person=Person.from_domain(h.person, as_of), relation=h.relation
        )


@strawberry.type(description="A beneficiary of a policy.")
@stamped()
class Beneficiary:
    person: Person = strawberry.field(description="The beneficiary.")
    share: float | None = strawberry.field(description="Share of the benefit, 0..1.")

    @classmethod
    def from_domain(cls, b: v.Beneficiary, as_of: datetime.date | None = None) -> Beneficiary:
        return cls(**stamp_values(b), person=Person.from_domain(b.person, as_of), share=b.share)


@described_by("holdings")
@strawberry.type(description="A product held by a party (policy, account, loan).")
@stamped("Holding")
class Holding(Node):
    id: strawberry.ID
    holder: Party = strawberry.field(description="Whose holding it is.")
    product: Product
    since: datetime.date | None
    amount: float | None
    status: m.HoldingStatus | None
    beneficiaries: list[Beneficiary] = strawberry.field(description="The policy's beneficiaries.")
    household_relation: m.FamilyKind | None = strawberry.field(
        description=(
            "In a household's holdings: what the holder is to the viewed person "
            "(SPOUSE, CHILD, ...); null when the viewed person holds it."
        )
    )

    @classmethod
    def from_domain(cls, h: v.Holding, as_of: datetime.date | None = None) -> Holding:
        return cls(
            **stamp_values(h),
            id=strawberry.ID(h.id),
            holder=party_to_gql(h.holder, as_of),
            product=Product.from_domain(h.product),
            since=h.since,
            amount=h.amount,
            status=h.status,
            beneficiaries=[Beneficiary.from_domain(b, as_of) for b in h.beneficiaries],
            household_relation=h.household_relation,
        )


@strawberry.type(description="Influence (who listens to whom) or acquaintance.")
@stamped()
class Relationship:
    kind: v.RelationshipKind = strawberry.field(
        description="The kind of link, read from the viewed party."
    )
    party: Party = strawberry.field(description="The other party.")
    strength: float | None = strawberry.field(description="0..1")
    influence_kind: str | None = strawberry.field(
        description="For influence: POLITICAL, TECHNICAL, ADVISORY, ..."
    )
    context: str | None = strawberry.field(
        description="For acquaintance: how they know each other."
    )

    @classmethod
    def from_domain(cls, r: v.Relationship, as_of: datetime.date | None = None) -> Relationship:
        return cls(
            **stamp_values(r),
            kind=r.kind,
            party=party_to_gql(r.party, as_of),
            strength=reported_or_none(r.strength),
            influence_kind=r.influence_kind,
            context=r.context,
        )


@strawberry.type(description="An account team covering the party or one of its ancestors.")
@stamped("AccountTeam")
class AccountTeam(Node):
    id: strawberry.ID = strawberry.field(description="The team's id.")
    name: str = strawberry.field(description="The team's name.")
    account: Party = strawberry.field(
        description="The account the team covers: the party itself or an ancestor."
    )
    manager: Rep | None = strawberry.field(description="The rep managing the team.")
    members: list[TeamMember] = strawberry.field(
        description="The reps in the team, with their roles."
    )

    @classmethod
    def from_domain(cls, t: v.AccountTeam, as_of: datetime.date | None = None) -> AccountTeam:
        return cls(
            **stamp_values(t),
            id=strawberry.ID(t.id),
            name=t.name,
            account=party_to_gql(t.account, as_of),
            manager=Rep.from_domain(t.manager) if t.manager else None,
            members=[TeamMember.from_domain(x) for x in t.members],
        )


@described_by("buyingRoles")
@strawberry.type(description="A person's buying-centre markers on an opportunity.")
@stamped()
class BuyingCentreMember:
    person: Person
    role: m.BuyingRole | None
    attitude: m.Attitude | None
    influence: m.InfluenceLevel | None

    @classmethod
    def from_domain(
        cls, b: v.BuyingCentreMember, as_of: datetime.date | None = None
    ) -> BuyingCentreMember:
        return cls(
            **stamp_values(b),
            person=Person.from_domain(b.person, as_of),
            role=b.role,
            attitude=b.attitude,
            influence=b.influence,
        )


@described_by("opportunities")
@strawberry.type(description="A sales opportunity.")
@stamped("Opportunity")
class Opportunity(Node):
    id: strawberry.ID
    name: str
    account: Party
    stage: m.OpportunityStage
    probability: float = strawberry.field(description="Win probability of the stage, 0..1.")
    amount: float | None
    close_date: datetime.date | None
    owner: Rep | None
    products: list[Product] = strawberry.field(description="The products offered.")
    buying_centre: list[BuyingCentreMember] = strawberry.field(
        description="The people marked on the opportunity."
    )

    @classmethod
    def from_domain(cls, o: v.Opportunity, as_of: datetime.date | None = None) -> Opportunity:
        return cls(
            **stamp_values(o),
            id=strawberry.ID(o.id),
            name=o.name,
            account=party_to_gql(o.account, as_of),
            stage=o.stage,
            probability=o.probability,
            amount=o.amount,
            close_date=o.close_date,
            owner=Rep.from_domain(o.owner) if o.owner else None,
            products=[Product.from_domain(p) for p in o.products],
            buying_centre=[BuyingCentreMember.from_domain(b, as_of) for b in o.buying_centre],
        )


@strawberry.type(description="A person working for the organization (or a branch of it).")
@stamped()
class EmployeeEdge:
    cursor: str = strawberry.field(description="Opaque cursor of this edge (for `after`).")
    node: Person = strawberry.field(description="The item.")
    organization: Organization = strawberry.field(
        description="Where the person works: the organization or one of its branches."
    )
    title: str | None = strawberry.field(description="Job title.")
    department: str | None = strawberry.field(description="Department.")
    since: datetime.date | None = strawberry.field(description="Employed since.")
    primary: bool = strawberry.field(description="The person's main employer.")


@strawberry.type(description="People of an organization, by name (ties by id).")
class EmployeeConnection:
    edges: list[EmployeeEdge] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Where this page is in the list.")
    total_count: int = strawberry.field(description="Items in the whole list.")

    @classmethod
    def from_domain(
        cls, page: v.Page[v.Employment], as_of: datetime.date | None = None
    ) -> EmployeeConnection:
        return cls(
            edges=[
                EmployeeEdge(
                    **stamp_values(e.node),
                    cursor=e.cursor,
                    node=Person.from_domain(e.node.person, as_of),
                    organization=Organization.from_domain(e.node.organization, as_of),
                    title=e.node.title,
                    department=e.node.department,
                    since=e.node.since,
                    primary=e.node.primary,
                )
                for e in page.edges
            ],
            page_info=PageInfo.from_page(page),
            total_count=page.total_count,
        )


# ----- parties -----


@strawberry.interface(description="A customer: one node per real person or organization.")
@stamped("Party")
class Party(Node):
    # Non-null where every party has a value; their meaning is declared in bulk/spec.py.
    id: strawberry.ID = declared_field("people", "id")
    kind: m.PartyKind = strawberry.field(description="Person or organization.")
    name: str = declared_field("people", "name")
    aliases: list[str] = declared_field("people", "aliases")
    tier: m.Tier | None = declared_field("people", "tier")
    grade: int | None = declared_field("people", "grade")
    confidential: bool = declared_field("people", "confidential")
    customer_since: datetime.date | None = declared_field("people", "customerSince")
    preferred_channel: m.Channel | None = declared_field("people", "preferredChannel")
    source: str | None = declared_field("people", "source")
    merged_ids: list[str] = declared_field("people", "mergedIds")
    version: int = strawberry.field(description="Increases with every change (optimistic locking).")
    # The day the party's view is read as of (party(id, asOf)); None: today's graph. Every
    # party reached from its view is read as of the same day.
    as_of: strawberry.Private[datetime.date | None] = None

    @strawberry.field(
        description=(
            "The fields withheld from you for this party (null or empty here): a person's "
            + ", ".join(SENSITIVE_PERSON_FIELDS)
            + " unless your role opens them (README, Security). Empty: nothing masked."
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
        self, info: Info, first: First = None, after: After = None
    ) -> InteractionConnection | None:
        args = interactions_args(first, after, info.context.settings)
        page = await view_part(info, self.id, ViewPart.INTERACTIONS, args, self.as_of)
        return InteractionConnection.from_domain(page)

    @strawberry.field(
        description=(
            "Tier, RAD cell, sleeping flag and profile completeness as of `asOf` "
            "(default: the day the party is read as of, party(asOf:), else today, UTC). "
            "Interactions after that day are not counted."
        )
    )
    async def signals(self, info: Info, as_of: AsOf = None) -> Signals:
        day = as_of if as_of is not None else self.as_of
        return Signals.from_domain(
            await view_part(info, self.id, ViewPart.SIGNALS, signals_args(day), self.as_of)
        )

    @strawberry.field(description="Which of our reps cover the party, strongest first.")
    async def coverage(self, info: Info) -> list[Coverage]:
        return [
            Coverage.from_domain(c)
            for c in await view_part(info, self.id, ViewPart.COVERAGE, as_of=self.as_of)
        ]

    @strawberry.field(description="Influence (who listens to whom) and acquaintance links.")
    async def relationships(self, info: Info) -> list[Relationship]:
        items = await view_part(info, self.id, ViewPart.RELATIONSHIPS, as_of=self.as_of)
        return [Relationship.from_domain(r, self.as_of) for r in items]

    @strawberry.field(
        description=(
            "Account teams covering the party or (for an organization) one of its ancestors, "
            "nearest first."
        )
    )
    async def account_teams(self, info: Info) -> list[AccountTeam]:
        items = await view_part(info, self.id, ViewPart.ACCOUNT_TEAMS, as_of=self.as_of)
        return [AccountTeam.from_domain(t, self.as_of) for t in items]


def sensitive_open(info: Info, party_id: str) -> bool:
    """Whether the viewer sees this person's sensitive fields; masked when the request's
    access is not known (fail closed)."""
    access = info.context.known_access()
    return access is not None and access.sees_sensitive(party_id)


@strawberry.type(description="A person: consumer, employee or contact, relative.")
@declared_fields("people", sensitive_open)
class Person(Party):
    # Its scalar fields come from the declaration (bulk/spec.py `people`), the sensitive ones
    # masked through `sensitive_open`; below are the parts of the 360° view.

    @strawberry.field(description="Employers and contact roles, the primary one first.")
    async def employments(self, info: Info) -> list[Employment]:
        items = await view_part(info, self.id, ViewPart.EMPLOYMENTS, as_of=self.as_of)
        return [Employment.from_domain(e, self.as_of) for e in items]

    @strawberry.field(description="The people this person reports to.")
    async def managers(self, info: Info) -> list[Person]:
        return [
            Person.from_domain(p, self.as_of)
            for p in await view_part(info, self.id, ViewPart.MANAGERS, as_of=self.as_of)
        ]

    @strawberry.field(description="The people reporting to this person.")
    async def direct_reports(self, info: Info) -> list[Person]:
        items = await view_part(info, self.id, ViewPart.DIRECT_REPORTS, as_of=self.as_of)
        return [Person.from_domain(p, self.as_of) for p in items]

    @strawberry.field(
        description=(
            "The household: everyone linked to the person by one family link (spouse, "
            "parents, children, siblings, other). Relatives of relatives are not included."
        )
    )
    async def household(self, info: Info) -> list[HouseholdMember]:
        items = await view_part(info, self.id, ViewPart.HOUSEHOLD, as_of=self.as_of)
        return [HouseholdMember.from_domain(h, self.as_of) for h in items]

    @strawberry.field(
        description=(
            "Holdings of the whole household (the person's first), each with its holder, "
            "the holder's relation to the person and the beneficiaries."
        )
    )
    async def household_holdings(self, info: Info) -> list[Holding]:
        items = await view_part(info, self.id, ViewPart.HOUSEHOLD_HOLDINGS, as_of=self.as_of)
        return [Holding.from_domain(h, self.as_of) for h in items]

    @strawberry.field(description="Products the person holds.")
    async def holdings(self, info: Info) -> list[Holding]:
        return [
            Holding.from_domain(h, self.as_of)
            for h in await view_part(info, self.id, ViewPart.HOLDINGS, as_of=self.as_of)
        ]

    @strawberry.field(description="Holdings (policies) the person is a beneficiary of.")
    async def beneficiary_of(self, info: Info) -> list[Holding]:
        items = await view_part(info, self.id, ViewPart.BENEFICIARY_OF, as_of=self.as_of)
        return [Holding.from_domain(h, self.as_of) for h in items]

    @classmethod
    def from_domain(cls, p: m.Person, as_of: datetime.date | None = None) -> Person:
        values = declared_values("people", p, cls)
        values.update(
            as_of=as_of,
            id=strawberry.ID(p.id),
            kind=m.PartyKind.PERSON,
            aliases=list(p.aliases),
            merged_ids=list(p.merged_ids),
            version=p.version,
            **stamp_values(p),
        )
        return cls(**values)


@strawberry.type(description="An organization: group, head office, branch, subsidiary, ...")
@declared_fields("organizations")
class Organization(Party):
    # Its scalar fields come from the declaration (bulk/spec.py `organizations`).
    rad_cell: str | None = strawberry.field(
        description="Key-account RAD cell (R1..A3): share of wallet band x buying power column."
    )

    @strawberry.field(description="The organization this one is part of.")
    async def parent(self, info: Info) -> Organization | None:
        ancestors = await view_part(info, self.id, ViewPart.ANCESTORS, as_of=self.as_of)
        return Organization.from_domain(ancestors[0], self.as_of) if ancestors else None

    @strawberry.field(description="The parent chain up to the top, the parent first.")
    async def ancestors(self, info: Info) -> list[Organization]:
        items = await view_part(info, self.id, ViewPart.ANCESTORS, as_of=self.as_of)
        return [Organization.from_domain(o, self.as_of) for o in items]

    @strawberry.field(description="Branches, subsidiaries and departments directly below.")
    async def children(self, info: Info) -> list[Organization]:
        items = await view_part(info, self.id, ViewPart.CHILDREN, as_of=self.as_of)
        return [Organization.from_domain(o, self.as_of) for o in items]

    @strawberry.field(
        description=(
            "People working for the organization (and, with includeSubsidiaries, for every "
            "organization below it), by name, ties by id."
        )
    )
    async def people(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        include_subsidiaries: IncludeSubsidiaries = False,
    ) -> EmployeeConnection | None:
        args = people_args(first, after, include_subsidiaries, info.context.settings)
        page = await view_part(info, self.id, ViewPart.PEOPLE, args, self.as_of)
        return EmployeeConnection.from_domain(page, self.as_of)

    @strawberry.field(
        description=(
            "Products held by the organization; with includeSubsidiaries, rolled up over "
            "every branch and subsidiary below it (each holding says who holds it)."
        )
    )
    async def holdings(
        self, info: Info, include_subsidiaries: IncludeSubsidiaries = False
    ) -> list[Holding]:
        args = SubsidiariesArgs(include_subsidiaries)
        items = await view_part(info, self.id, ViewPart.ORGANIZATION_HOLDINGS, args, self.as_of)
        return [Holding.from_domain(h, self.as_of) for h in items]

    @strawberry.field(
        description=(
            "Opportunities not yet won or lost, by close date; with includeSubsidiaries also "
            "those of the organizations below it."
        )
    )
    async def open_opportunities(
        self, info: Info, include_subsidiaries: IncludeSubsidiaries = False
    ) -> list[Opportunity]:
        args = SubsidiariesArgs(include_subsidiaries)
        items = await view_part(info, self.id, ViewPart.OPEN_OPPORTUNITIES, args, self.as_of)
        return [Opportunity.from_domain(o, self.as_of) for o in items]

    @strawberry.field(description="News and business events, newest first.")
    async def events(self, info: Info) -> list[BusinessEvent]:
        return [
            BusinessEvent.from_domain(e)
            for e in await view_part(info, self.id, ViewPart.EVENTS, as_of=self.as_of)
        ]

    @classmethod
    def from_domain(cls, o: m.Organization, as_of: datetime.date | None = None) -> Organization:
        values = declared_values("organizations", o, cls)
        values.update(
            as_of=as_of,
            id=strawberry.ID(o.id),
            kind=m.PartyKind.ORGANIZATION,
            aliases=list(o.aliases),
            merged_ids=list(o.merged_ids),
            version=o.version,
            rad_cell=o.rad_cell,
            **stamp_values(o),
        )
        return cls(**values)


def party_to_gql(p: m.Party, as_of: datetime.date | None = None) -> Person | Organization:
    """The party's GraphQL object; `as_of`: the day its view is read as of (None: today)."""
    if isinstance(p, m.Person):
        return Person.from_domain(p, as_of)
    return Organization.from_domain(p, as_of)


@strawberry.type(description="A node of a drawn path.")
class PathNode:
    id: strawberry.ID = strawberry.field(description="The node's id.")
    kind: str = strawberry.field(
        description="PERSON, ORGANIZATION, REP, PRODUCT, HOLDING, RULE, EVENT or OPPORTUNITY."
    )
    label: str = strawberry.field(description="Display name.")

    @classmethod
    def from_domain(cls, n: m.PathNode) -> PathNode:
        return cls(id=strawberry.ID(n.id), kind=n.kind, label=n.label)


@strawberry.type(description="A link of a drawn path, oriented along the path.")
class PathLink:
    source: strawberry.ID = strawberry.field(description="The node the link leaves.")
    target: strawberry.ID = strawberry.field(description="The node it reaches.")
    type: str = strawberry.field(description="Relationship type, e.g. WORKS_FOR, FAMILY, COVERS.")
    label: str = strawberry.field(description="Human wording, e.g. 'spouse', 'CFO'.")
    strength: float | None = strawberry.field(
        description="Link strength 0..1 (null: not weighted)."
    )

    @classmethod
    def from_domain(cls, link: m.PathLink) -> PathLink:
        return cls(
            source=strawberry.ID(link.source),
            target=strawberry.ID(link.target),
            type=link.type,
            label=link.label,
            strength=reported_or_none(link.strength),
        )


@strawberry.type(description="A path through the graph: nodes in order and the links between.")
class GraphPath:
    nodes: list[PathNode] = strawberry.field(description="The nodes, in path order.")
    links: list[PathLink] = strawberry.field(description="The links between consecutive nodes.")
    hops: int = strawberry.field(description="Number of links.")
    weight: float | None = strawberry.field(
        description="Product of the link strengths (null: unweighted)."
    )
    explanation: str = strawberry.field(description="The path in words.")

    @classmethod
    def from_domain(cls, p: m.GraphPath) -> GraphPath:
        return cls(
            nodes=[PathNode.from_domain(n) for n in p.nodes],
            links=[PathLink.from_domain(link) for link in p.links],
            hops=p.hops,
            weight=reported_or_none(p.weight),
            explanation=p.explanation,
        )

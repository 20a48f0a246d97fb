"""GraphQL inputs and results of the mutations: thin views of `graph_api.domain.writes`.

Input field names are the import's field names (`graph_api/bulk/spec.py`), so an error's
`field` names the input field as the client wrote it. In create inputs an absent or null
field is not set; in update inputs (and link inputs) an absent field stays as stored and
null clears it.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.context import Info
from graph_api.api.declared import (
    declared_inputs,
    describe,
    described_by,
    graphql_type,
    python_name,
    stamp_values,
    stamped,
)
from graph_api.api.tas import RecordTasAnswerInput, TasRecordedAnswer
from graph_api.api.types import Organization, Party, Person, party_to_gql
from graph_api.api.view_types import Product, Rep
from graph_api.bulk.spec import SECTION_BY_NAME, WRITTEN_BY_MERGES
from graph_api.domain import model as m
from graph_api.domain import view as v
from graph_api.domain import writes as w
from graph_api.domain.i18n import Language
from graph_api.domain.job_change import JobChangeRecord
from graph_api.domain.tas import RecordedAnswer

UNSET: Any = strawberry.UNSET


def raw_fields(obj: object) -> dict[str, Any]:
    """An input's given fields by their GraphQL (= import) names; absent fields left out,
    explicit nulls kept as None. `expectedVersion` is not a field of the data."""
    definition = get_object_definition(obj, strict=True)
    out: dict[str, Any] = {}
    for f in definition.fields:
        if f.python_name == "expected_version":
            continue
        value = getattr(obj, f.python_name)
        if value is strawberry.UNSET:
            continue
        out[f.graphql_name or to_camel_case(f.python_name)] = value
    return out


_VERSION_NOW = "The version after the change (the next change passes it as expectedVersion)."
_VERSION_DOC = (
    "The version this change is based on. Needed to change a link that exists with other "
    "data; a stale one is a CONFLICT naming the current version."
)

# ----- people and organizations -----


_ID_DOC = "Chosen by the client (makes retries safe)."
_EXPECTED_DOC = "The version read; a stale one is a CONFLICT naming the current version."
_ID_TO_CHANGE = "The id of the one to change."

# The fields of these inputs come from the declaration (bulk/spec.py `people`,
# `organizations`): a field added there is an input field here, with its meaning.


@strawberry.input(
    description="A new person. Creating the same id with the same data again "
    "changes nothing and answers the same; with other data it is a CONFLICT."
)
@declared_inputs("people", create=True, exclude=WRITTEN_BY_MERGES)
class CreatePersonInput:
    id: strawberry.ID = strawberry.field(description=_ID_DOC)


@strawberry.input(description="Changes to a person: given fields change, null clears one.")
@declared_inputs("people", create=False, exclude=WRITTEN_BY_MERGES)
class UpdatePersonInput:
    id: strawberry.ID = strawberry.field(description=_ID_TO_CHANGE)
    expected_version: int = strawberry.field(description=_EXPECTED_DOC)


@strawberry.input(description="A new organization, with its parent (a branch's head office).")
@declared_inputs("organizations", create=True, exclude=WRITTEN_BY_MERGES)
class CreateOrganizationInput:
    id: strawberry.ID = strawberry.field(description=_ID_DOC)


@strawberry.input(
    description="Changes to an organization; parentId moves it (null: no parent any more)."
)
@declared_inputs("organizations", create=False, exclude=WRITTEN_BY_MERGES)
class UpdateOrganizationInput:
    id: strawberry.ID = strawberry.field(description=_ID_TO_CHANGE)
    expected_version: int = strawberry.field(description=_EXPECTED_DOC)


# ----- holdings and interactions -----


@strawberry.input(description="A product held by a party (policy, account, loan).")
@declared_inputs("holdings", create=True)
class CreateHoldingInput:
    id: strawberry.ID = strawberry.field(description=_ID_DOC)
    reference: str | None = strawberry.field(
        default=UNSET, description="Policy or account number (sensitive; not read back)."
    )


@strawberry.input(description="Changes to a holding (its holder and product stay).")
@declared_inputs("holdings", create=False, exclude=("partyId", "productId"))
class UpdateHoldingInput:
    id: strawberry.ID = strawberry.field(description=_ID_TO_CHANGE)
    expected_version: int = strawberry.field(description=_EXPECTED_DOC)


@strawberry.input(description="A contact with customers: visit, call, complaint, ...")
@declared_inputs("interactions", create=True)
class CreateInteractionInput:
    id: strawberry.ID = strawberry.field(description=_ID_DOC)


@strawberry.input(
    description="Changes to an interaction; partyIds and repIds replace the whole list."
)
@declared_inputs("interactions", create=False)
class UpdateInteractionInput:
    id: strawberry.ID = strawberry.field(description=_ID_TO_CHANGE)
    expected_version: int = strawberry.field(description=_EXPECTED_DOC)


# ----- the sales side -----
# Reps, account teams, products, opportunities, business events, affinity rules: inputs
# from the declaration (bulk/spec.py), links (managerId, productIds, ...) included.


def _sales_inputs(section: str, what: str) -> tuple[type, type]:
    create_doc = (
        f"A new {what}. Creating the same id with the same data again changes nothing and "
        "answers the same; with other data it is a CONFLICT."
    )
    update_doc = (
        f"Changes to {what}: given fields change, null clears one (a list given replaces "
        "the whole list)."
    )

    @strawberry.input(name=f"Create{_TYPE_NAMES[section]}Input", description=create_doc)
    @declared_inputs(section, create=True)
    class Create:
        id: strawberry.ID = strawberry.field(description=_ID_DOC)

    @strawberry.input(name=f"Update{_TYPE_NAMES[section]}Input", description=update_doc)
    @declared_inputs(section, create=False)
    class Update:
        id: strawberry.ID = strawberry.field(description=_ID_TO_CHANGE)
        expected_version: int = strawberry.field(description=_EXPECTED_DOC)

    return Create, Update


_TYPE_NAMES = {
    "reps": "Rep",
    "accountTeams": "AccountTeam",
    "products": "Product",
    "opportunities": "Opportunity",
    "events": "BusinessEvent",
    "affinityRules": "AffinityRule",
}
CreateRepInput, UpdateRepInput = _sales_inputs("reps", "one of our reps (managerId: their manager)")
CreateAccountTeamInput, UpdateAccountTeamInput = _sales_inputs("accountTeams", "an account team")
CreateProductInput, UpdateProductInput = _sales_inputs("products", "a product of ours")
CreateOpportunityInput, UpdateOpportunityInput = _sales_inputs(
    "opportunities", "a sales opportunity (stage, amount, close date, products)"
)
CreateBusinessEventInput, UpdateBusinessEventInput = _sales_inputs(
    "events", "a business event of a customer"
)
CreateAffinityRuleInput, UpdateAffinityRuleInput = _sales_inputs(
    "affinityRules", "an affinity rule (a product held or an event kind suggests products)"
)


# ----- links -----


@described_by("employment")
@strawberry.input(description="A person's job or contact role at an organization.")
class EmploymentInput:
    person_id: strawberry.ID
    organization_id: strawberry.ID
    title: str | None = UNSET
    department: str | None = UNSET
    since: datetime.date | None = UNSET
    primary: bool | None = strawberry.field(default=UNSET, description="The main employer.")
    valid_from: datetime.date | None = strawberry.field(
        default=UNSET,
        description=(
            "First day the link held (default: today, when it is created); a change of a "
            "field that starts a new period starts it on this day."
        ),
    )
    expected_version: int | None = strawberry.field(default=UNSET, description=_VERSION_DOC)


@described_by("reporting")
@strawberry.input(description="A reporting line: personId reports to managerId (no cycles).")
class ReportingLineInput:
    person_id: strawberry.ID
    manager_id: strawberry.ID
    valid_from: datetime.date | None = strawberry.field(
        default=UNSET,
        description=(
            "First day the link held (default: today, when it is created); a change of a "
            "field that starts a new period starts it on this day."
        ),
    )


@described_by("family")
@strawberry.input(
    description=(
        "A family link, read from fromId: PARENT means fromId is toId's parent, CHILD its "
        "child. One link per pair of people: another kind replaces it (with expectedVersion)."
    )
)
class FamilyLinkInput:
    from_id: strawberry.ID
    to_id: strawberry.ID
    kind: m.FamilyKind
    valid_from: datetime.date | None = strawberry.field(
        default=UNSET,
        description=(
            "First day the link held (default: today, when it is created); a change of a "
            "field that starts a new period starts it on this day."
        ),
    )
    expected_version: int | None = strawberry.field(default=UNSET, description=_VERSION_DOC)


@described_by("beneficiaries")
@strawberry.input(description="A beneficiary of a policy (holding).")
class BeneficiaryInput:
    person_id: strawberry.ID
    holding_id: strawberry.ID
    share: float | None = strawberry.field(default=UNSET, description="0..1")
    expected_version: int | None = strawberry.field(default=UNSET, description=_VERSION_DOC)


@described_by("buyingRoles")
@strawberry.input(
    description=(
        "Buying-centre markers of a person on an account (accountId) or on one opportunity "
        "(opportunityId): exactly one of the two, at least one of role, attitude, influence."
    )
)
class BuyingRoleInput:
    person_id: strawberry.ID
    account_id: strawberry.ID | None = UNSET
    opportunity_id: strawberry.ID | None = UNSET
    role: m.BuyingRole | None = UNSET
    attitude: m.Attitude | None = UNSET
    influence: m.InfluenceLevel | None = UNSET
    note: str | None = UNSET
    valid_from: datetime.date | None = strawberry.field(
        default=UNSET,
        description=(
            "First day the link held (default: today, when it is created); a change of a "
            "field that starts a new period starts it on this day."
        ),
    )
    expected_version: int | None = strawberry.field(default=UNSET, description=_VERSION_DOC)


@described_by("influence")
@strawberry.input(description="Informal influence: toId listens to fromId.")
class InfluenceInput:
    from_id: strawberry.ID
    to_id: strawberry.ID
    strength: float | None = strawberry.field(default=UNSET, description="0..1")
    kind: str | None = strawberry.field(default=UNSET, description="POLITICAL, TECHNICAL, ...")
    valid_from: datetime.date | None = strawberry.field(
        default=UNSET,
        description=(
            "First day the link held (default: today, when it is created); a change of a "
            "field that starts a new period starts it on this day."
        ),
    )
    expected_version: int | None = strawberry.field(default=UNSET, description=_VERSION_DOC)


@described_by("acquaintance")
@strawberry.input(description="Acquaintance between two parties (undirected).")
class AcquaintanceInput:
    from_id: strawberry.ID
    to_id: strawberry.ID
    strength: float | None = strawberry.field(default=UNSET, description="0..1")
    context: str | None = strawberry.field(default=UNSET, description="How they know each other.")
    valid_from: datetime.date | None = strawberry.field(
        default=UNSET,
        description=(
            "First day the link held (default: today, when it is created); a change of a "
            "field that starts a new period starts it on this day."
        ),
    )
    expected_version: int | None = strawberry.field(default=UNSET, description=_VERSION_DOC)


@described_by("coverage")
@strawberry.input(description="One of our reps' relationship with a customer person.")
class CoverageInput:
    rep_id: strawberry.ID
    person_id: strawberry.ID
    strength: float = strawberry.field(description="0..1")
    kind: str | None = strawberry.field(default=UNSET, description="PERSONAL, BUSINESS, ...")
    valid_from: datetime.date | None = strawberry.field(
        default=UNSET,
        description=(
            "First day the link held (default: today, when it is created); a change of a "
            "field that starts a new period starts it on this day."
        ),
    )
    expected_version: int | None = strawberry.field(default=UNSET, description=_VERSION_DOC)


@described_by("teamMembers")
@strawberry.input(description="A rep is a member of an account team (admins only).")
class TeamMemberInput:
    team_id: strawberry.ID
    rep_id: strawberry.ID
    role: m.RepRole | None = strawberry.field(default=UNSET, description="Role in the team.")
    valid_from: datetime.date | None = strawberry.field(
        default=UNSET,
        description=(
            "First day the link held (default: today, when it is created); a change of a "
            "field that starts a new period starts it on this day."
        ),
    )
    expected_version: int | None = strawberry.field(default=UNSET, description=_VERSION_DOC)


@described_by("teamAccounts")
@strawberry.input(description="An account team covers an account (admins only).")
class TeamAccountInput:
    team_id: strawberry.ID
    party_id: strawberry.ID
    valid_from: datetime.date | None = strawberry.field(
        default=UNSET,
        description=(
            "First day the link held (default: today, when it is created); a change of a "
            "field that starts a new period starts it on this day."
        ),
    )


@described_by("competitorCoverage")
@strawberry.input(description="A competitor's relationship with a customer person.")
class CompetitorCoverageInput:
    competitor_id: strawberry.ID
    person_id: strawberry.ID
    strength: float = strawberry.field(description="0..1")
    champion: bool | None = strawberry.field(default=UNSET, description="Their champion.")
    note: str | None = strawberry.field(default=UNSET, description="What is known of it.")
    valid_from: datetime.date | None = strawberry.field(
        default=UNSET,
        description=(
            "First day the link held (default: today, when it is created); a change of a "
            "field that starts a new period starts it on this day."
        ),
    )
    expected_version: int | None = strawberry.field(default=UNSET, description=_VERSION_DOC)


@described_by("competitorOpportunities")
@strawberry.input(description="A competitor in one of our opportunities.")
class CompetitorOpportunityInput:
    competitor_id: strawberry.ID
    opportunity_id: strawberry.ID
    shortlisted: bool | None = strawberry.field(default=UNSET, description="On the shortlist.")
    note: str | None = strawberry.field(default=UNSET, description="Their offer, their angle.")
    expected_version: int | None = strawberry.field(default=UNSET, description=_VERSION_DOC)


@strawberry.input(
    description=(
        "The link to remove, by its kind and key fields: EMPLOYMENT personId+organizationId, "
        "REPORTING_LINE personId+managerId, FAMILY fromId+toId (either order), BENEFICIARY "
        "personId+holdingId, BUYING_ROLE personId+(accountId or opportunityId), INFLUENCE "
        "fromId+toId, ACQUAINTANCE fromId+toId (either order), COVERAGE repId+personId, "
        "TEAM_MEMBER teamId+repId, TEAM_ACCOUNT teamId+partyId, "
        "COMPETITOR_COVERAGE competitorId+personId, COMPETITOR_OPPORTUNITY "
        "competitorId+opportunityId. "
        "Removing a link that is not there changes nothing."
    )
)
class RemoveLinkInput:
    kind: w.LinkKind
    person_id: strawberry.ID | None = UNSET
    organization_id: strawberry.ID | None = UNSET
    manager_id: strawberry.ID | None = UNSET
    from_id: strawberry.ID | None = UNSET
    to_id: strawberry.ID | None = UNSET
    holding_id: strawberry.ID | None = UNSET
    account_id: strawberry.ID | None = UNSET
    opportunity_id: strawberry.ID | None = UNSET
    rep_id: strawberry.ID | None = UNSET
    team_id: strawberry.ID | None = UNSET
    party_id: strawberry.ID | None = UNSET
    competitor_id: strawberry.ID | None = UNSET
    expected_version: int | None = strawberry.field(
        default=UNSET, description="When given, the link is removed only at this version."
    )


@strawberry.input(
    one_of=True,
    description="One change of applyChanges: exactly one field, named like its mutation.",
)
class ChangeInput:
    create_person: CreatePersonInput | None = UNSET
    update_person: UpdatePersonInput | None = UNSET
    create_organization: CreateOrganizationInput | None = UNSET
    update_organization: UpdateOrganizationInput | None = UNSET
    create_holding: CreateHoldingInput | None = UNSET
    update_holding: UpdateHoldingInput | None = UNSET
    create_interaction: CreateInteractionInput | None = UNSET
    update_interaction: UpdateInteractionInput | None = UNSET
    set_employment: EmploymentInput | None = UNSET
    set_reporting_line: ReportingLineInput | None = UNSET
    set_family_link: FamilyLinkInput | None = UNSET
    set_beneficiary: BeneficiaryInput | None = UNSET
    set_buying_role: BuyingRoleInput | None = UNSET
    set_influence: InfluenceInput | None = UNSET
    set_acquaintance: AcquaintanceInput | None = UNSET
    set_coverage: CoverageInput | None = UNSET
    create_rep: CreateRepInput | None = UNSET  # type: ignore[valid-type]
    update_rep: UpdateRepInput | None = UNSET  # type: ignore[valid-type]
    create_account_team: CreateAccountTeamInput | None = UNSET  # type: ignore[valid-type]
    update_account_team: UpdateAccountTeamInput | None = UNSET  # type: ignore[valid-type]
    create_product: CreateProductInput | None = UNSET  # type: ignore[valid-type]
    update_product: UpdateProductInput | None = UNSET  # type: ignore[valid-type]
    create_opportunity: CreateOpportunityInput | None = UNSET  # type: ignore[valid-type]
    update_opportunity: UpdateOpportunityInput | None = UNSET  # type: ignore[valid-type]
    create_business_event: CreateBusinessEventInput | None = UNSET  # type: ignore[valid-type]
    update_business_event: UpdateBusinessEventInput | None = UNSET  # type: ignore[valid-type]
    create_affinity_rule: CreateAffinityRuleInput | None = UNSET  # type: ignore[valid-type]
    update_affinity_rule: UpdateAffinityRuleInput | None = UNSET  # type: ignore[valid-type]
    set_team_member: TeamMemberInput | None = UNSET
    set_team_account: TeamAccountInput | None = UNSET
    remove_link: RemoveLinkInput | None = UNSET
    record_tas_answer: RecordTasAnswerInput | None = UNSET
    set_competitor_coverage: CompetitorCoverageInput | None = UNSET
    set_competitor_opportunity: CompetitorOpportunityInput | None = UNSET


# ----- results -----


@described_by("holdings")
@strawberry.type(description="A holding as written.")
@stamped("Holding")
class HoldingRecord:
    id: strawberry.ID
    holder: Party = strawberry.field(description="Whose holding it is.")
    product: Product
    since: datetime.date | None
    amount: float | None
    status: m.HoldingStatus | None
    version: int = strawberry.field(description=_VERSION_NOW)

    @classmethod
    def from_domain(cls, h: w.HoldingRecord) -> HoldingRecord:
        return cls(
            id=strawberry.ID(h.id),
            holder=party_to_gql(h.holder),
            product=Product.from_domain(h.product),
            since=h.since,
            amount=h.amount,
            status=h.status,
            version=h.version,
        )


@strawberry.type(
    description=(
        "How writing an interaction changed the strength of one relationship it touches: one "
        "of our reps and a customer person, or two customer people who were in it together "
        '(docs/ANALYTICS.md, "Earned strength").'
    )
)
class StrengthChange:
    rep: bool = strawberry.field(
        description="True: fromId is one of our reps; false: two customer people."
    )
    from_id: strawberry.ID = strawberry.field(
        description="The rep, or the customer person of the lower id."
    )
    to_id: strawberry.ID = strawberry.field(description="The customer person.")
    declared: float | None = strawberry.field(
        description="The declared strength (coverage or acquaintance); null: none declared."
    )
    before: float = strawberry.field(description="The strength just before the write (0..1).")
    after: float = strawberry.field(description="The strength just after the write (0..1).")
    interactions: int = strawberry.field(
        description="The relationship's interactions after the write."
    )
    explanation_en: strawberry.Private[str | None]
    explanation_zh: strawberry.Private[str | None]

    @strawberry.field(
        description=(
            "The relationship's interactions in words, in the request's language, e.g. "
            '"4 meetings in 90 days, last 6 days ago"; null when none is left.'
        )
    )
    def explanation(self, info: Info) -> str | None:
        if info.context.language is Language.ZH:
            return self.explanation_zh
        return self.explanation_en

    @classmethod
    def from_domain(cls, c: w.StrengthChange) -> StrengthChange:
        return cls(
            rep=c.rep,
            from_id=strawberry.ID(c.from_id),
            to_id=strawberry.ID(c.to_id),
            declared=c.declared,
            before=c.before,
            after=c.after,
            interactions=c.interactions,
            explanation_en=c.explanation,
            explanation_zh=c.explanation_zh,
        )


@described_by("interactions")
@strawberry.type(description="An interaction as written.")
@stamped("Interaction")
class InteractionRecord:
    id: strawberry.ID
    kind: m.InteractionKind | None
    at: datetime.datetime
    direction: m.InteractionDirection | None
    purpose: m.InteractionPurpose | None
    channel: m.Channel | None
    subject: str | None
    summary: str | None
    parties: list[Party] = strawberry.field(description="The customers involved.")
    reps: list[Rep] = strawberry.field(description="Our reps who took part.")
    opportunity_id: strawberry.ID | None
    version: int = strawberry.field(description=_VERSION_NOW)
    strength_changes: list[StrengthChange] = strawberry.field(
        description=(
            "The relationships whose earned strength this write changed (the strength before "
            "and after, at the time of the write), by fromId and toId."
        )
    )
    sleeping_cleared: list[strawberry.ID] = strawberry.field(
        description=(
            "The customers that were sleeping (no interaction for GRAPH_API_SLEEPING_DAYS) "
            "before this write and are not after it."
        )
    )

    @classmethod
    def from_domain(cls, i: w.InteractionRecord) -> InteractionRecord:
        return cls(
            id=strawberry.ID(i.id),
            kind=i.kind,
            at=i.at,
            direction=i.direction,
            purpose=i.purpose,
            channel=i.channel,
            subject=i.subject,
            summary=i.summary,
            parties=[party_to_gql(p) for p in i.parties],
            reps=[Rep.from_domain(r) for r in i.reps],
            opportunity_id=strawberry.ID(i.opportunity_id) if i.opportunity_id else None,
            version=i.version,
            strength_changes=[
                StrengthChange.from_domain(c)
                for c in sorted(i.strength_changes, key=lambda c: (c.from_id, c.to_id))
            ],
            sleeping_cleared=[strawberry.ID(p) for p in i.sleeping_cleared],
        )


def _person(link: w.LinkRecord, name: str) -> Person:
    end = link.ends[name]
    assert isinstance(end, m.Person)
    return Person.from_domain(end)


def _party(link: w.LinkRecord, name: str) -> Person | Organization:
    end = link.ends[name]
    assert isinstance(end, (m.Person, m.Organization))
    return party_to_gql(end)


def _rep(link: w.LinkRecord, name: str) -> Rep:
    end = link.ends[name]
    assert isinstance(end, v.Rep)
    return Rep.from_domain(end)


def _date(value: Any) -> datetime.date | None:
    return value if isinstance(value, datetime.date) else None


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _version(link: w.LinkRecord) -> int:
    assert link.version is not None
    return link.version


@described_by("employment")
@strawberry.type(description="A person's job or contact role at an organization.")
@stamped()
class EmploymentLink:
    person: Person
    organization: Organization
    title: str | None
    department: str | None
    since: datetime.date | None
    primary: bool | None
    version: int = strawberry.field(description=_VERSION_NOW)

    @classmethod
    def from_domain(cls, link: w.LinkRecord) -> EmploymentLink:
        p = link.properties
        org = link.ends["organizationId"]
        assert isinstance(org, m.Organization)
        return cls(
            **stamp_values(link),
            person=_person(link, "personId"),
            organization=Organization.from_domain(org),
            title=p.get("title"),
            department=p.get("department"),
            since=_date(p.get("since")),
            primary=p.get("primary"),
            version=_version(link),
        )


@described_by("reporting")
@strawberry.type(description="A reporting line: person reports to manager.")
@stamped()
class ReportingLine:
    person: Person
    manager: Person
    version: int = strawberry.field(description=_VERSION_NOW)

    @classmethod
    def from_domain(cls, link: w.LinkRecord) -> ReportingLine:
        return cls(
            **stamp_values(link),
            person=_person(link, "personId"),
            manager=_person(link, "managerId"),
            version=_version(link),
        )


@described_by("family")
@strawberry.type(
    description="A family link, read from `from`: PARENT means `from` is the parent of `to`."
)
@stamped()
class FamilyLink:
    from_: Person = strawberry.field(name="from", description="The link's start (fromId).")
    to: Person
    kind: m.FamilyKind
    version: int = strawberry.field(description=_VERSION_NOW)

    @classmethod
    def from_domain(cls, link: w.LinkRecord) -> FamilyLink:
        return cls(
            **stamp_values(link),
            from_=_person(link, "fromId"),
            to=_person(link, "toId"),
            kind=m.FamilyKind(link.properties["kind"]),
            version=_version(link),
        )


@described_by("beneficiaries")
@strawberry.type(description="A beneficiary of a policy.")
@stamped()
class BeneficiaryLink:
    person: Person
    holding_id: strawberry.ID
    share: float | None
    version: int = strawberry.field(description=_VERSION_NOW)

    @classmethod
    def from_domain(cls, link: w.LinkRecord) -> BeneficiaryLink:
        return cls(
            **stamp_values(link),
            person=_person(link, "personId"),
            holding_id=strawberry.ID(link.key["holdingId"]),
            share=_float(link.properties.get("share")),
            version=_version(link),
        )


@described_by("buyingRoles")
@strawberry.type(description="Buying-centre markers of a person on an account or opportunity.")
@stamped()
class BuyingRoleLink:
    person: Person
    account: Party | None = strawberry.field(description="When placed on an account.")
    opportunity_id: strawberry.ID | None = strawberry.field(
        description="When placed on one opportunity."
    )
    role: m.BuyingRole | None
    attitude: m.Attitude | None
    influence: m.InfluenceLevel | None
    note: str | None
    version: int = strawberry.field(description=_VERSION_NOW)

    @classmethod
    def from_domain(cls, link: w.LinkRecord) -> BuyingRoleLink:
        p = link.properties
        opportunity = link.key.get("opportunityId")
        return cls(
            **stamp_values(link),
            person=_person(link, "personId"),
            account=_party(link, "accountId") if "accountId" in link.key else None,
            opportunity_id=strawberry.ID(opportunity) if opportunity else None,
            role=m.BuyingRole(p["role"]) if p.get("role") else None,
            attitude=m.Attitude(p["attitude"]) if p.get("attitude") else None,
            influence=m.InfluenceLevel(p["influence"]) if p.get("influence") else None,
            note=p.get("note"),
            version=_version(link),
        )


@described_by("influence")
@strawberry.type(description="Informal influence: `to` listens to `from`.")
@stamped()
class InfluenceLink:
    from_: Person = strawberry.field(name="from", description="The link's start (fromId).")
    to: Person
    strength: float | None
    kind: str | None
    version: int = strawberry.field(description=_VERSION_NOW)

    @classmethod
    def from_domain(cls, link: w.LinkRecord) -> InfluenceLink:
        p = link.properties
        return cls(
            **stamp_values(link),
            from_=_person(link, "fromId"),
            to=_person(link, "toId"),
            strength=_float(p.get("strength")),
            kind=p.get("kind"),
            version=_version(link),
        )


@described_by("acquaintance")
@strawberry.type(description="Acquaintance between two parties (undirected: from the lower id).")
@stamped()
class AcquaintanceLink:
    from_: Party = strawberry.field(name="from", description="The link's start (fromId).")
    to: Party
    strength: float | None
    context: str | None
    version: int = strawberry.field(description=_VERSION_NOW)

    @classmethod
    def from_domain(cls, link: w.LinkRecord) -> AcquaintanceLink:
        p = link.properties
        return cls(
            **stamp_values(link),
            from_=_party(link, "fromId"),
            to=_party(link, "toId"),
            strength=_float(p.get("strength")),
            context=p.get("context"),
            version=_version(link),
        )


@described_by("coverage")
@strawberry.type(description="One of our reps' relationship with a customer.")
@stamped()
class CoverageLink:
    rep: Rep
    person: Party
    strength: float | None
    kind: str | None
    version: int = strawberry.field(description=_VERSION_NOW)

    @classmethod
    def from_domain(cls, link: w.LinkRecord) -> CoverageLink:
        p = link.properties
        return cls(
            **stamp_values(link),
            rep=_rep(link, "repId"),
            person=_party(link, "personId"),
            strength=_float(p.get("strength")),
            kind=p.get("kind"),
            version=_version(link),
        )


@described_by("competitorCoverage")
@strawberry.type(description="A competitor's relationship with a customer person.")
@stamped()
class CompetitorCoverageLink:
    competitor_id: strawberry.ID
    person: Party
    strength: float | None
    champion: bool | None
    note: str | None
    version: int = strawberry.field(description=_VERSION_NOW)

    @classmethod
    def from_domain(cls, link: w.LinkRecord) -> CompetitorCoverageLink:
        p = link.properties
        return cls(
            **stamp_values(link),
            competitor_id=strawberry.ID(link.key["competitorId"]),
            person=_party(link, "personId"),
            strength=_float(p.get("strength")),
            champion=p.get("champion"),
            note=p.get("note"),
            version=_version(link),
        )


@described_by("competitorOpportunities")
@strawberry.type(description="A competitor in one of our opportunities.")
@stamped()
class CompetitorOpportunityLink:
    competitor_id: strawberry.ID
    opportunity_id: strawberry.ID
    shortlisted: bool | None
    note: str | None
    version: int = strawberry.field(description=_VERSION_NOW)

    @classmethod
    def from_domain(cls, link: w.LinkRecord) -> CompetitorOpportunityLink:
        p = link.properties
        return cls(
            **stamp_values(link),
            competitor_id=strawberry.ID(link.key["competitorId"]),
            opportunity_id=strawberry.ID(link.key["opportunityId"]),
            shortlisted=p.get("shortlisted"),
            note=p.get("note"),
            version=_version(link),
        )


@strawberry.type(description="A link that is not there (any more): its kind and key.")
class RemovedLink:
    kind: w.LinkKind
    person_id: strawberry.ID | None = None
    organization_id: strawberry.ID | None = None
    manager_id: strawberry.ID | None = None
    from_id: strawberry.ID | None = None
    to_id: strawberry.ID | None = None
    holding_id: strawberry.ID | None = None
    account_id: strawberry.ID | None = None
    opportunity_id: strawberry.ID | None = None
    rep_id: strawberry.ID | None = None
    team_id: strawberry.ID | None = None
    party_id: strawberry.ID | None = None
    competitor_id: strawberry.ID | None = None

    @classmethod
    def from_domain(cls, link: w.LinkRecord) -> RemovedLink:
        names = {
            "personId": "person_id",
            "organizationId": "organization_id",
            "managerId": "manager_id",
            "fromId": "from_id",
            "toId": "to_id",
            "holdingId": "holding_id",
            "accountId": "account_id",
            "opportunityId": "opportunity_id",
            "repId": "rep_id",
            "teamId": "team_id",
            "partyId": "party_id",
            "competitorId": "competitor_id",
        }
        ids = {names[k]: strawberry.ID(value) for k, value in link.key.items()}
        return cls(kind=w.LinkKind(link.kind.value), **ids)


def _record_type(section_name: str, what: str) -> type:
    """The result type of a sales-side node: its declared fields (links included), its
    version and bookkeeping times."""
    section = SECTION_BY_NAME[section_name]
    annotations: dict[str, Any] = {
        "id": strawberry.ID,
        "version": int,
        "created_at": datetime.datetime | None,
        "updated_at": datetime.datetime | None,
    }
    namespace: dict[str, Any] = {
        "id": strawberry.field(description="The node's id."),
        "version": strawberry.field(description=_VERSION_NOW),
        "created_at": strawberry.field(description="When it was created (UTC)."),
        "updated_at": strawberry.field(description="When it last changed (UTC)."),
    }
    for f in section.fields:
        if f.name == "id":
            continue
        annotations[python_name(f)] = graphql_type(f) | None
        namespace[python_name(f)] = strawberry.field(description=describe(f))
    namespace["__annotations__"] = annotations
    cls = type(f"{_TYPE_NAMES[section_name]}Record", (), namespace)
    return strawberry.type(cls, description=f"{what} as written.")


def _record_from_domain(record: w.NodeRecord) -> Any:
    section = SECTION_BY_NAME[record.kind.value]
    cls = _RECORD_TYPES[record.kind]
    given: dict[str, Any] = {
        "id": strawberry.ID(record.id),
        "version": record.version,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }
    for f in section.fields:
        if f.name == "id":
            continue
        value = record.values.get(f.name)
        if value is not None and f.enum is not None:
            value = f.enum(value)
        given[python_name(f)] = value
    return cls(**given)


RepRecord: Any = _record_type("reps", "One of our reps")
AccountTeamRecord: Any = _record_type("accountTeams", "An account team")
ProductRecord: Any = _record_type("products", "A product")
OpportunityRecord: Any = _record_type("opportunities", "An opportunity")
BusinessEventRecord: Any = _record_type("events", "A business event")
AffinityRuleRecord: Any = _record_type("affinityRules", "An affinity rule")
_RECORD_TYPES: dict[w.EntityKind, Any] = {
    w.EntityKind.REP: RepRecord,
    w.EntityKind.ACCOUNT_TEAM: AccountTeamRecord,
    w.EntityKind.PRODUCT: ProductRecord,
    w.EntityKind.OPPORTUNITY: OpportunityRecord,
    w.EntityKind.BUSINESS_EVENT: BusinessEventRecord,
    w.EntityKind.AFFINITY_RULE: AffinityRuleRecord,
}


@described_by("teamMembers")
@strawberry.type(description="A rep's membership of an account team.")
@stamped()
class TeamMemberLink:
    team_id: strawberry.ID
    rep: Rep
    role: m.RepRole | None
    version: int = strawberry.field(description=_VERSION_NOW)

    @classmethod
    def from_domain(cls, link: w.LinkRecord) -> TeamMemberLink:
        role = link.properties.get("role")
        return cls(
            **stamp_values(link),
            team_id=strawberry.ID(link.key["teamId"]),
            rep=_rep(link, "repId"),
            role=None if role is None else m.RepRole(role),
            version=_version(link),
        )


@described_by("teamAccounts")
@strawberry.type(description="An account covered by an account team.")
@stamped()
class TeamAccountLink:
    team_id: strawberry.ID
    party: Party = strawberry.field(description="The account covered.")
    version: int = strawberry.field(description=_VERSION_NOW)

    @classmethod
    def from_domain(cls, link: w.LinkRecord) -> TeamAccountLink:
        return cls(
            **stamp_values(link),
            team_id=strawberry.ID(link.key["teamId"]),
            party=_party(link, "partyId"),
            version=_version(link),
        )


LinkResult = (
    EmploymentLink
    | ReportingLine
    | FamilyLink
    | BeneficiaryLink
    | BuyingRoleLink
    | InfluenceLink
    | AcquaintanceLink
    | CoverageLink
    | TeamMemberLink
    | TeamAccountLink
    | CompetitorCoverageLink
    | CompetitorOpportunityLink
    | RemovedLink
)

ChangeResult = Annotated[
    Person
    | Organization
    | HoldingRecord
    | InteractionRecord
    | EmploymentLink
    | ReportingLine
    | FamilyLink
    | BeneficiaryLink
    | BuyingRoleLink
    | InfluenceLink
    | AcquaintanceLink
    | CoverageLink
    | TeamMemberLink
    | TeamAccountLink
    | CompetitorCoverageLink
    | CompetitorOpportunityLink
    | TasRecordedAnswer
    | RemovedLink
    | RepRecord
    | AccountTeamRecord
    | ProductRecord
    | OpportunityRecord
    | BusinessEventRecord
    | AffinityRuleRecord,
    strawberry.union("ChangeResult", description="The result of one change of applyChanges."),
]

_LINK_TYPES: dict[w.EntityKind, Any] = {
    w.EntityKind.EMPLOYMENT: EmploymentLink,
    w.EntityKind.REPORTING_LINE: ReportingLine,
    w.EntityKind.FAMILY: FamilyLink,
    w.EntityKind.BENEFICIARY: BeneficiaryLink,
    w.EntityKind.BUYING_ROLE: BuyingRoleLink,
    w.EntityKind.INFLUENCE: InfluenceLink,
    w.EntityKind.ACQUAINTANCE: AcquaintanceLink,
    w.EntityKind.COVERAGE: CoverageLink,
    w.EntityKind.TEAM_MEMBER: TeamMemberLink,
    w.EntityKind.TEAM_ACCOUNT: TeamAccountLink,
    w.EntityKind.COMPETITOR_COVERAGE: CompetitorCoverageLink,
    w.EntityKind.COMPETITOR_OPPORTUNITY: CompetitorOpportunityLink,
}


def result_to_gql(result: w.WriteResult) -> Any:
    """The GraphQL view of one change's result."""
    if isinstance(result, (m.Person, m.Organization)):
        return party_to_gql(result)
    if isinstance(result, w.HoldingRecord):
        return HoldingRecord.from_domain(result)
    if isinstance(result, w.InteractionRecord):
        return InteractionRecord.from_domain(result)
    if isinstance(result, w.NodeRecord):
        return _record_from_domain(result)
    if isinstance(result, RecordedAnswer):
        return TasRecordedAnswer.from_domain(result)
    if isinstance(result, w.LifecycleRecord | JobChangeRecord):
        return result  # api/lifecycle.py and api/job_change.py answer them as their own types
    if not result.present:
        return RemovedLink.from_domain(result)
    return _LINK_TYPES[result.kind].from_domain(result)


__all__ = ["ChangeResult", "LinkResult", "Party", "raw_fields", "result_to_gql"]


# The key fields of a link, and the one-of members of a change, mean the same everywhere:
# described here once rather than field by field.
_KEY_DOC = "A key field of the link, for the kinds that have it (see the type's description)."
for _keyed in (RemoveLinkInput, RemovedLink):
    for _field in get_object_definition(_keyed, strict=True).fields:
        if _field.description is None:
            _field.description = "The kind of link." if _field.python_name == "kind" else _KEY_DOC
for _field in get_object_definition(ChangeInput, strict=True).fields:
    _field.description = f"The input of the {to_camel_case(_field.python_name)} mutation."

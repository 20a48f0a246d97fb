"""The Mutation type: every mutation is one transaction through `services.writes`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

import strawberry

from graph_api.api import write_types as wt
from graph_api.api.arguments import Input
from graph_api.api.context import Info
from graph_api.api.tas import RecordTasAnswerInput, TasRecordedAnswer
from graph_api.api.types import Organization, Person
from graph_api.api.view import forget_views
from graph_api.api.write_types import (
    AcquaintanceInput,
    AcquaintanceLink,
    BeneficiaryInput,
    BeneficiaryLink,
    BuyingRoleInput,
    BuyingRoleLink,
    ChangeInput,
    ChangeResult,
    CompetitorCoverageInput,
    CompetitorCoverageLink,
    CompetitorOpportunityInput,
    CompetitorOpportunityLink,
    CoverageInput,
    CoverageLink,
    CreateHoldingInput,
    CreateInteractionInput,
    CreateOrganizationInput,
    CreatePersonInput,
    EmploymentInput,
    EmploymentLink,
    FamilyLink,
    FamilyLinkInput,
    HoldingRecord,
    InfluenceInput,
    InfluenceLink,
    InteractionRecord,
    RemovedLink,
    RemoveLinkInput,
    ReportingLine,
    ReportingLineInput,
    UpdateHoldingInput,
    UpdateInteractionInput,
    UpdateOrganizationInput,
    UpdatePersonInput,
    raw_fields,
    result_to_gql,
)
from graph_api.domain.errors import InvalidInput
from graph_api.domain.writes import Change, EntityKind, LinkKind
from graph_api.services import idempotency
from graph_api.services import write_input as wi
from graph_api.services.writes import apply_changes

E = EntityKind


def _version(value: Any) -> int | None:
    return None if value is strawberry.UNSET else value


def _create(kind: EntityKind) -> Callable[[Any, str], Change]:
    return lambda given, path: wi.create_node(kind, raw_fields(given), path)


def _update(kind: EntityKind) -> Callable[[Any, str], Change]:
    return lambda given, path: wi.update_node(kind, raw_fields(given), given.expected_version, path)


def _set(kind: EntityKind) -> Callable[[Any, str], Change]:
    return lambda given, path: wi.set_link(
        kind, raw_fields(given), _version(getattr(given, "expected_version", None)), path
    )


def _remove(given: RemoveLinkInput, path: str) -> Change:
    raw = raw_fields(given)
    kind = LinkKind(raw.pop("kind"))
    return wi.remove_link(kind.entity, raw, _version(given.expected_version), path)


# Each change by the name of its mutation (and of its field in ChangeInput).
_CHANGES: dict[str, Callable[[Any, str], Change]] = {
    "createPerson": _create(E.PERSON),
    "updatePerson": _update(E.PERSON),
    "createOrganization": _create(E.ORGANIZATION),
    "updateOrganization": _update(E.ORGANIZATION),
    "createHolding": _create(E.HOLDING),
    "updateHolding": _update(E.HOLDING),
    "createInteraction": _create(E.INTERACTION),
    "updateInteraction": _update(E.INTERACTION),
    "setEmployment": _set(E.EMPLOYMENT),
    "setReportingLine": _set(E.REPORTING_LINE),
    "setFamilyLink": _set(E.FAMILY),
    "setBeneficiary": _set(E.BENEFICIARY),
    "setBuyingRole": _set(E.BUYING_ROLE),
    "setInfluence": _set(E.INFLUENCE),
    "setAcquaintance": _set(E.ACQUAINTANCE),
    "setCoverage": _set(E.COVERAGE),
    "removeLink": _remove,
    "createRep": _create(E.REP),
    "updateRep": _update(E.REP),
    "createAccountTeam": _create(E.ACCOUNT_TEAM),
    "updateAccountTeam": _update(E.ACCOUNT_TEAM),
    "createProduct": _create(E.PRODUCT),
    "updateProduct": _update(E.PRODUCT),
    "createOpportunity": _create(E.OPPORTUNITY),
    "updateOpportunity": _update(E.OPPORTUNITY),
    "createBusinessEvent": _create(E.BUSINESS_EVENT),
    "updateBusinessEvent": _update(E.BUSINESS_EVENT),
    "createAffinityRule": _create(E.AFFINITY_RULE),
    "updateAffinityRule": _update(E.AFFINITY_RULE),
    "setTeamMember": _set(E.TEAM_MEMBER),
    "setTeamAccount": _set(E.TEAM_ACCOUNT),
    "setCompetitorCoverage": _set(E.COMPETITOR_COVERAGE),
    "setCompetitorOpportunity": _set(E.COMPETITOR_OPPORTUNITY),
    "recordTasAnswer": lambda given, path: wi.record_node(E.TAS_ANSWER, raw_fields(given), path),
}


def _mutation(name: str, input_type: Any, result_type: Any, description: str) -> Any:
    """A mutation field of one change (the sales side's are alike but for their types)."""

    async def resolve(self: Any, info: Info, input: Any) -> Any:
        return await _one(info, name, input)

    argument = Annotated[input_type, strawberry.argument(description="The change to make.")]
    resolve.__annotations__ = {"info": Info, "input": argument, "return": result_type}
    resolve.__name__ = name
    return strawberry.mutation(resolver=resolve, description=description)


_ADMINS = " Admins only: this decides what reps see, or is the catalogue they all read."
_OPPORTUNITY = (
    " A rep or manager writes the opportunities of the accounts they see (the account's "
    "scope, before and after a move)."
)


async def _write(info: Info, mutation: str, changes: Sequence[Change]) -> list[Any]:
    ctx = info.context
    key = _idempotency_key(info, mutation, changes)
    results = await apply_changes(await ctx.reader(), mutation, changes, key)
    if key is not None and key.replayed and ctx.response is not None:
        ctx.response.headers[idempotency.REPLAYED_HEADER] = "true"
    # Views selected on the result (or asked later in this request) must see the change,
    # and so must the viewer's scope (a new link may bring a party into it).
    forget_views(info)
    await ctx.renew_access()
    return [result_to_gql(r) for r in results]


def _idempotency_key(
    info: Info, mutation: str, changes: Sequence[Change]
) -> idempotency.IdempotencyKey | None:
    """The request's Idempotency-Key (README, Retries), claimed for this mutation field."""
    request = info.context.request
    given = request.headers.get(idempotency.HEADER) if request is not None else None
    if given is None:
        return None
    return idempotency.claim_for(
        idempotency.checked_key(given),
        info.context.viewer.subject,
        info.path.key if isinstance(info.path.key, str) else mutation,
        mutation,
        changes,
    )


async def _one(info: Info, mutation: str, given: Any) -> Any:
    (result,) = await _write(info, mutation, [_CHANGES[mutation](given, "input")])
    return result


_IDEMPOTENT = (
    " Creating the same id again with the same data changes nothing and answers the same; "
    "with other data it is a CONFLICT naming the current version."
)
_UPDATE = (
    " expectedVersion must be the current version (else CONFLICT naming it), unless the "
    "update changes nothing: then it succeeds without a new version."
)
_SET = (
    " Creates the link, or, when it exists with other data, updates it given its "
    "expectedVersion (else CONFLICT naming the current one); the same data again changes "
    "nothing."
)


@strawberry.type(
    description=(
        "Writes: create and update people, organizations, holdings and interactions, set "
        "and remove links, or several changes at once (applyChanges). Every write is checked "
        "like an import, audited, and all or nothing."
    )
)
class WriteMutation:
    @strawberry.mutation(description="Creates a person." + _IDEMPOTENT)
    async def create_person(self, info: Info, input: Input[CreatePersonInput]) -> Person:
        result: Person = await _one(info, "createPerson", input)
        return result

    @strawberry.mutation(description="Changes a person's fields." + _UPDATE)
    async def update_person(self, info: Info, input: Input[UpdatePersonInput]) -> Person:
        result: Person = await _one(info, "updatePerson", input)
        return result

    @strawberry.mutation(
        description="Creates an organization, under parentId when given." + _IDEMPOTENT
    )
    async def create_organization(
        self, info: Info, input: Input[CreateOrganizationInput]
    ) -> Organization:
        result: Organization = await _one(info, "createOrganization", input)
        return result

    @strawberry.mutation(
        description="Changes an organization's fields or parent (no cycles)." + _UPDATE
    )
    async def update_organization(
        self, info: Info, input: Input[UpdateOrganizationInput]
    ) -> Organization:
        result: Organization = await _one(info, "updateOrganization", input)
        return result

    @strawberry.mutation(description="Records a product held by a party." + _IDEMPOTENT)
    async def create_holding(self, info: Info, input: Input[CreateHoldingInput]) -> HoldingRecord:
        result: HoldingRecord = await _one(info, "createHolding", input)
        return result

    @strawberry.mutation(description="Changes a holding." + _UPDATE)
    async def update_holding(self, info: Info, input: Input[UpdateHoldingInput]) -> HoldingRecord:
        result: HoldingRecord = await _one(info, "updateHolding", input)
        return result

    @strawberry.mutation(description="Records an interaction." + _IDEMPOTENT)
    async def create_interaction(
        self, info: Info, input: Input[CreateInteractionInput]
    ) -> InteractionRecord:
        result: InteractionRecord = await _one(info, "createInteraction", input)
        return result

    @strawberry.mutation(
        description=(
            "Records the account team's answer to one TAS question of an opportunity "
            "(opportunityAssessment); who answered and when are the caller and now. Answers "
            "are never changed: a new answer to the same question is the current one, the "
            "earlier ones its history. The same id again with the same data changes nothing; "
            "with other data it is a CONFLICT."
        )
    )
    async def record_tas_answer(
        self, info: Info, input: Input[RecordTasAnswerInput]
    ) -> TasRecordedAnswer:
        result: TasRecordedAnswer = await _one(info, "recordTasAnswer", input)
        return result

    @strawberry.mutation(
        description="A competitor's relationship with a customer person (strength 0..1, "
        "champion)." + _SET
    )
    async def set_competitor_coverage(
        self, info: Info, input: Input[CompetitorCoverageInput]
    ) -> CompetitorCoverageLink:
        result: CompetitorCoverageLink = await _one(info, "setCompetitorCoverage", input)
        return result

    @strawberry.mutation(
        description="A competitor in an opportunity (on the shortlist or not)." + _SET
    )
    async def set_competitor_opportunity(
        self, info: Info, input: Input[CompetitorOpportunityInput]
    ) -> CompetitorOpportunityLink:
        result: CompetitorOpportunityLink = await _one(info, "setCompetitorOpportunity", input)
        return result

    @strawberry.mutation(description="Changes an interaction." + _UPDATE)
    async def update_interaction(
        self, info: Info, input: Input[UpdateInteractionInput]
    ) -> InteractionRecord:
        result: InteractionRecord = await _one(info, "updateInteraction", input)
        return result

    @strawberry.mutation(description="A person's job or contact role." + _SET)
    async def set_employment(self, info: Info, input: Input[EmploymentInput]) -> EmploymentLink:
        result: EmploymentLink = await _one(info, "setEmployment", input)
        return result

    @strawberry.mutation(
        description=(
            "The person (personId) reports to managerId: not to themselves, and never in a "
            "cycle (checked in the same transaction). The same line again changes nothing."
        )
    )
    async def set_reporting_line(
        self, info: Info, input: Input[ReportingLineInput]
    ) -> ReportingLine:
        result: ReportingLine = await _one(info, "setReportingLine", input)
        return result

    @strawberry.mutation(description="A family link between two people." + _SET)
    async def set_family_link(self, info: Info, input: Input[FamilyLinkInput]) -> FamilyLink:
        result: FamilyLink = await _one(info, "setFamilyLink", input)
        return result

    @strawberry.mutation(description="A beneficiary of a policy." + _SET)
    async def set_beneficiary(self, info: Info, input: Input[BeneficiaryInput]) -> BeneficiaryLink:
        result: BeneficiaryLink = await _one(info, "setBeneficiary", input)
        return result

    @strawberry.mutation(
        description="Buying-centre role and attitude on an account or opportunity." + _SET
    )
    async def set_buying_role(self, info: Info, input: Input[BuyingRoleInput]) -> BuyingRoleLink:
        result: BuyingRoleLink = await _one(info, "setBuyingRole", input)
        return result

    @strawberry.mutation(description="Who listens to whom." + _SET)
    async def set_influence(self, info: Info, input: Input[InfluenceInput]) -> InfluenceLink:
        result: InfluenceLink = await _one(info, "setInfluence", input)
        return result

    @strawberry.mutation(description="Two parties know each other." + _SET)
    async def set_acquaintance(
        self, info: Info, input: Input[AcquaintanceInput]
    ) -> AcquaintanceLink:
        result: AcquaintanceLink = await _one(info, "setAcquaintance", input)
        return result

    @strawberry.mutation(description="One of our reps covers a customer." + _SET)
    async def set_coverage(self, info: Info, input: Input[CoverageInput]) -> CoverageLink:
        result: CoverageLink = await _one(info, "setCoverage", input)
        return result

    @strawberry.mutation(
        description=(
            "Removes a link (of any kind, named by its key fields). With expectedVersion only "
            "at that version. A link that is not there: nothing changes, the same answer."
        )
    )
    async def remove_link(self, info: Info, input: Input[RemoveLinkInput]) -> RemovedLink:
        result: RemovedLink = await _one(info, "removeLink", input)
        return result

    create_rep = _mutation(
        "createRep",
        wt.CreateRepInput,
        wt.RepRecord,
        "Creates one of our reps." + _IDEMPOTENT + _ADMINS,
    )
    update_rep = _mutation(
        "updateRep",
        wt.UpdateRepInput,
        wt.RepRecord,
        "Changes a rep; managerId sets their manager (no cycles)." + _UPDATE + _ADMINS,
    )
    create_account_team = _mutation(
        "createAccountTeam",
        wt.CreateAccountTeamInput,
        wt.AccountTeamRecord,
        "Creates an account team (managerId: its manager)." + _IDEMPOTENT + _ADMINS,
    )
    update_account_team = _mutation(
        "updateAccountTeam",
        wt.UpdateAccountTeamInput,
        wt.AccountTeamRecord,
        "Changes an account team." + _UPDATE + _ADMINS,
    )
    set_team_member = _mutation(
        "setTeamMember",
        wt.TeamMemberInput,
        wt.TeamMemberLink,
        "A rep joins an account team (removeLink TEAM_MEMBER: leaves it)." + _SET + _ADMINS,
    )
    set_team_account = _mutation(
        "setTeamAccount",
        wt.TeamAccountInput,
        wt.TeamAccountLink,
        "An account team covers an account (removeLink TEAM_ACCOUNT: no more)." + _SET + _ADMINS,
    )
    create_product = _mutation(
        "createProduct",
        wt.CreateProductInput,
        wt.ProductRecord,
        "Creates a product." + _IDEMPOTENT + _ADMINS,
    )
    update_product = _mutation(
        "updateProduct",
        wt.UpdateProductInput,
        wt.ProductRecord,
        "Changes a product." + _UPDATE + _ADMINS,
    )
    create_opportunity = _mutation(
        "createOpportunity",
        wt.CreateOpportunityInput,
        wt.OpportunityRecord,
        "Creates an opportunity on an account." + _IDEMPOTENT + _OPPORTUNITY,
    )
    update_opportunity = _mutation(
        "updateOpportunity",
        wt.UpdateOpportunityInput,
        wt.OpportunityRecord,
        "Changes an opportunity: stage, amount, close date, owner, products (productIds "
        "replaces the list); its buying centre is set with setBuyingRole." + _UPDATE + _OPPORTUNITY,
    )
    create_business_event = _mutation(
        "createBusinessEvent",
        wt.CreateBusinessEventInput,
        wt.BusinessEventRecord,
        "Records a business event of a customer (for those who see the customer)." + _IDEMPOTENT,
    )
    update_business_event = _mutation(
        "updateBusinessEvent",
        wt.UpdateBusinessEventInput,
        wt.BusinessEventRecord,
        "Changes a business event." + _UPDATE,
    )
    create_affinity_rule = _mutation(
        "createAffinityRule",
        wt.CreateAffinityRuleInput,
        wt.AffinityRuleRecord,
        "Creates an affinity rule: exactly one of whenProductId or whenEventKind."
        + _IDEMPOTENT
        + _ADMINS,
    )
    update_affinity_rule = _mutation(
        "updateAffinityRule",
        wt.UpdateAffinityRuleInput,
        wt.AffinityRuleRecord,
        "Changes an affinity rule (suggestsProductIds replaces the list)." + _UPDATE + _ADMINS,
    )

    @strawberry.mutation(
        description=(
            "Several changes in ONE transaction, in order (a later change sees the earlier "
            "ones): all are written, or, when any is refused, none. Errors name the change "
            "as changes[i].<mutation>.<field>. At most GRAPH_API_MAX_CHANGES changes."
        )
    )
    async def apply_changes(
        self,
        info: Info,
        changes: Annotated[
            list[ChangeInput],
            strawberry.argument(description="The changes, applied in order, all or none."),
        ],
    ) -> list[ChangeResult]:
        limit = info.context.settings.max_changes
        if not changes or len(changes) > limit:
            raise InvalidInput(
                f"changes must hold 1 to {limit} changes (GRAPH_API_MAX_CHANGES), "
                f"got {len(changes)}",
                field="changes",
                value=len(changes),
            )
        checked: list[Change] = []
        for number, change in enumerate(changes):
            ((name, given),) = raw_fields(change).items()
            checked.append(_CHANGES[name](given, f"changes[{number}].{name}"))
        return await _write(info, "applyChanges", checked)

"""Query field `orgChart`: an organization's people as a drawable graph with sub-charts."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.arguments import GraphAsOf, IncludeSubsidiaries
from graph_api.api.context import Info
from graph_api.api.tas import Competition, competition_of
from graph_api.api.types import Organization, Person
from graph_api.api.view_types import Coverage
from graph_api.domain import model as m
from graph_api.domain import org_chart as oc
from graph_api.domain.model import reported_or_none
from graph_api.services.org_chart import org_chart

DEFAULT_DEPTH = 3


@strawberry.type(description="A person in the chart with title, markers and our coverage.")
class OrgChartNode:
    id: strawberry.ID = strawberry.field(description="The person's id.")
    person: Person = strawberry.field(description="The person.")
    organization: Organization | None = strawberry.field(
        description="The organization the person belongs to in the chart: the unit (the "
        "charted organization or a sub-chart's) they are drawn in; an external influencer's "
        "employer (null when none is known)."
    )
    title: str | None = strawberry.field(description="Job title.")
    department: str | None = strawberry.field(description="Department.")
    manager_id: strawberry.ID | None = strawberry.field(
        description="The person's manager, when drawn in this chart."
    )
    level: int = strawberry.field(
        description="The person's level in the account, the one keyDeciders and "
        "decisionAssessment give, whatever the chart's root: 1 + the managers on the "
        "shortest reporting line up to a top (someone with no manager), managers outside "
        "the chart included. 1 also for a person on no reporting line (keyDeciders: null); "
        "0 = external."
    )
    role: m.BuyingRole | None = strawberry.field(description="Buying-centre marker 决审研咨用.")
    attitude: m.Attitude | None = strawberry.field(description="+ = - X")
    influence: m.InfluenceLevel | None = strawberry.field(
        description="Influence on the decision (marker)."
    )
    coverage: list[Coverage] = strawberry.field(description="Our reps and their strength.")
    external: bool = strawberry.field(
        description="Outside the charted organizations: an influencer (with includeInfluence)."
    )

    @strawberry.field(
        description="Whether we or a competitor is closer to them (competitorCoverage)."
    )
    async def competition(self, info: Info) -> Competition:
        ours = max((c.strength or 0.0 for c in self.coverage), default=None)
        return await competition_of(info, str(self.id), ours)

    @classmethod
    def from_domain(cls, n: oc.ChartNode) -> OrgChartNode:
        mk = n.markers
        return cls(
            id=strawberry.ID(n.person.id),
            person=Person.from_domain(n.person),
            organization=Organization.from_domain(n.organization) if n.organization else None,
            title=n.title,
            department=n.department,
            manager_id=strawberry.ID(n.manager_id) if n.manager_id else None,
            level=n.level,
            role=mk.role if mk else None,
            attitude=mk.attitude if mk else None,
            influence=mk.influence if mk else None,
            coverage=[Coverage.from_domain(c) for c in n.coverage],
            external=n.external,
        )


@strawberry.type(description="A line of the chart between two nodes.")
class OrgChartEdge:
    source: strawberry.ID = strawberry.field(description="The source person's id.")
    target: strawberry.ID = strawberry.field(description="The target person's id.")
    type: oc.ChartLinkType = strawberry.field(description="REPORTS_TO or INFLUENCES.")
    strength: float | None = strawberry.field(description="Influence strength, 0..1.")
    kind: str | None = strawberry.field(description="Influence kind: POLITICAL, TECHNICAL, ...")


@strawberry.type(description="A branch or subsidiary of the charted organization.")
class SubChart:
    organization: Organization = strawberry.field(description="The organization below.")
    parent_id: strawberry.ID = strawberry.field(description="The organization it is part of.")
    level: int = strawberry.field(description="1 = directly below the charted organization.")
    node_ids: list[strawberry.ID] = strawberry.field(description="The people drawn in it.")


@strawberry.type(
    description=(
        "An org chart: every node and edge to draw, and the sub-charts of branches and "
        "subsidiaries (parent before child). A node belongs to the unit its organization names."
    )
)
class OrgChart:
    organization: Organization = strawberry.field(description="The organization charted.")
    depth: int = strawberry.field(description="Reporting levels shown.")
    nodes: list[OrgChartNode] = strawberry.field(description="The people drawn.")
    edges: list[OrgChartEdge] = strawberry.field(
        description="Reporting lines and influence among them."
    )
    sub_charts: list[SubChart] = strawberry.field(
        description="Charts of the organizations below, when included."
    )

    @classmethod
    def from_domain(cls, c: oc.OrgChart) -> OrgChart:
        return cls(
            organization=Organization.from_domain(c.organization),
            depth=c.depth,
            nodes=[OrgChartNode.from_domain(n) for n in c.nodes],
            edges=[
                OrgChartEdge(
                    source=strawberry.ID(x.source),
                    target=strawberry.ID(x.target),
                    type=x.type,
                    strength=reported_or_none(x.strength),
                    kind=x.kind,
                )
                for x in c.links
            ],
            sub_charts=[
                SubChart(
                    organization=Organization.from_domain(s.organization),
                    parent_id=strawberry.ID(s.parent_id),
                    level=s.level,
                    node_ids=[strawberry.ID(i) for i in s.node_ids],
                )
                for s in c.sub_charts
            ],
        )


@strawberry.type
class OrgChartQuery:
    @strawberry.field(
        description=(
            "The org chart of an organization, drawable without further calls. `depth` "
            "(1..GRAPH_API_MAX_ORG_CHART_DEPTH, default 3) bounds the reporting levels shown "
            "in each unit and, with includeSubsidiaries, how many organization levels below are "
            "charted as sub-charts. Markers come from the buying roles on the opportunity when "
            "opportunityId is given, else on the unit or its nearest ancestor. With "
            "includeInfluence, INFLUENCES edges to the drawn people, outside influencers "
            "included as external nodes."
        )
    )
    async def org_chart(
        self,
        info: Info,
        organization_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The organization at the top of the chart."),
        ],
        depth: Annotated[
            int,
            strawberry.argument(
                description="Reporting levels per unit and organization levels below."
            ),
        ] = DEFAULT_DEPTH,
        include_subsidiaries: IncludeSubsidiaries = True,
        include_influence: Annotated[
            bool, strawberry.argument(description="Also INFLUENCES edges and outside influencers.")
        ] = False,
        opportunity_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Take the markers from this opportunity."),
        ] = None,
        as_of: GraphAsOf = None,
    ) -> OrgChart | None:
        ctx = info.context
        chart = await org_chart(
            await ctx.reader(),
            ctx.settings,
            str(organization_id),
            depth=depth,
            include_subsidiaries=include_subsidiaries,
            include_influence=include_influence,
            opportunity_id=str(opportunity_id) if opportunity_id is not None else None,
            as_of=as_of,
        )
        return OrgChart.from_domain(chart)

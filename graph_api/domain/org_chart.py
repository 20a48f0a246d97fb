"""An organization's chart as drawable data: people, reporting and influence lines, sub-charts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from graph_api.domain import i18n
from graph_api.domain import model as m
from graph_api.domain import view as v


class ChartLinkType(StrEnum):
    REPORTS_TO = "REPORTS_TO"  # source reports to target
    INFLUENCES = "INFLUENCES"  # source influences target (target listens)


i18n.labels(
    ChartLinkType,
    {
        ChartLinkType.REPORTS_TO: i18n.Label("Reports to", "汇报给"),
        ChartLinkType.INFLUENCES: i18n.Label("Influences", "影响"),
    },
)


@dataclass(frozen=True, slots=True)
class Markers:
    """Buying-centre markers of a person: 决审研咨用, + = - X, influence."""

    role: m.BuyingRole | None
    attitude: m.Attitude | None
    influence: m.InfluenceLevel | None


@dataclass(frozen=True, slots=True)
class ChartNode:
    person: m.Person
    organization: m.Organization | None  # the unit the person is drawn in (employer if external)
    title: str | None
    department: str | None
    manager_id: str | None  # the manager drawn in the chart, if any
    level: int  # in the account, as keyDeciders gives it (1 = top); 0 = an outside influencer
    markers: Markers | None
    coverage: tuple[v.Coverage, ...]
    external: bool = False  # not in the chart's organizations: an outside influencer


@dataclass(frozen=True, slots=True)
class ChartLink:
    source: str
    target: str
    type: ChartLinkType
    strength: float | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class SubChart:
    """A branch or subsidiary below the charted organization."""

    organization: m.Organization
    parent_id: str
    level: int  # 1 = directly below the charted organization
    node_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrgChart:
    organization: m.Organization
    depth: int
    nodes: tuple[ChartNode, ...]
    links: tuple[ChartLink, ...]
    sub_charts: tuple[SubChart, ...]

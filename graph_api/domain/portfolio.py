"""Portfolio lists (issue 15.5): their filters and orders, and the RAD matrix's cells."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from graph_api.domain import i18n
from graph_api.domain import model as m
from graph_api.domain.signals import Escalation

# The RAD matrix's cells in its reading order: rows R, D, A (share of wallet), columns 1..3
# (buying power).
RAD_CELLS: tuple[str, ...] = tuple(f"{row}{col}" for row in "RDA" for col in "123")


class DecisionLayerGap(StrEnum):
    """What is missing in an account's declared decision layer (决/审 on it or its deals)."""

    NO_SUPPORTER = "NO_SUPPORTER"
    UNCOVERED = "UNCOVERED"


i18n.labels(
    DecisionLayerGap,
    {
        DecisionLayerGap.NO_SUPPORTER: i18n.Label(
            "Nobody in the decision layer supports us", "决策层无支持者"
        ),
        DecisionLayerGap.UNCOVERED: i18n.Label(
            "A decider or approver nobody of ours covers", "决策层有未覆盖的人"
        ),
    },
)


class PortfolioOrder(StrEnum):
    """The order of a portfolio list; ties by id."""

    NAME = "NAME"
    NAME_DESC = "NAME_DESC"
    PROFILE_SCORE = "PROFILE_SCORE"
    PROFILE_SCORE_DESC = "PROFILE_SCORE_DESC"
    LAST_FOLLOW_UP = "LAST_FOLLOW_UP"
    LAST_FOLLOW_UP_DESC = "LAST_FOLLOW_UP_DESC"


i18n.labels(
    PortfolioOrder,
    {
        PortfolioOrder.NAME: i18n.Label("Name (A to Z)", "名称(升序)"),
        PortfolioOrder.NAME_DESC: i18n.Label("Name (Z to A)", "名称(降序)"),
        PortfolioOrder.PROFILE_SCORE: i18n.Label("Profile score, lowest first", "画像得分(低到高)"),
        PortfolioOrder.PROFILE_SCORE_DESC: i18n.Label(
            "Profile score, highest first", "画像得分(高到低)"
        ),
        PortfolioOrder.LAST_FOLLOW_UP: i18n.Label(
            "Last follow-up, longest ago first", "最近跟进(最久未跟进在前)"
        ),
        PortfolioOrder.LAST_FOLLOW_UP_DESC: i18n.Label(
            "Last follow-up, most recent first", "最近跟进(最近在前)"
        ),
    },
)


@dataclass(frozen=True, slots=True)
class PortfolioFilter:
    """The filters of a portfolio list; every one given must hold (None: not asked)."""

    mine: bool | None = None
    covered_by_rep: str | None = None
    team: str | None = None
    kinds: tuple[m.PartyKind, ...] | None = None
    tier: m.Tier | None = None
    grades: tuple[int, ...] | None = None
    rad_cell: str | None = None
    region: str | None = None
    industry: str | None = None
    sleeping: bool | None = None
    escalation: Escalation | None = None
    below_compliance: bool | None = None
    decision_layer_gap: DecisionLayerGap | None = None

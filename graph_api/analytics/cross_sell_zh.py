"""Chinese wording of cross-sell evidence paths (link labels and explanations), from the facts.

The English texts are written by the evidence finders in analytics/cross_sell.py; this module
says the same facts in Chinese sentences for requests whose Accept-Language prefers Chinese.
It reads the evidence's structured fields and the neighbourhood graph the finders read (the
family role, the title, the opportunity's stage, the group's tree), never the English text,
so both languages always tell the same facts. An affinity rule's `reason` is the customer's
own data and is shown as written.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

import networkx as nx

from graph_api.analytics.cross_sell import (
    EVENT,
    OPPORTUNITY,
    PARTY,
    PRODUCT,
    RULE,
    NodeKey,
)
from graph_api.domain.cross_sell import (
    CoHoldingStats,
    CrossSellResult,
    Evidence,
    EvidenceKind,
    Suggestion,
)
from graph_api.domain.i18n import Language, enum_label
from graph_api.domain.model import (
    FamilyKind,
    GraphPath,
    OpportunityStage,
    OrgType,
    PartyKind,
    PathNode,
)

KIN: dict[FamilyKind, str] = {
    FamilyKind.SPOUSE: "配偶",
    FamilyKind.PARENT: "父母",
    FamilyKind.CHILD: "子女",
    FamilyKind.SIBLING: "兄弟姐妹",
    FamilyKind.OTHER: "亲属",
}
# Links whose wording depends on no fact of their own.
_VERBS = {
    "HOLDS": "持有",
    "TRIGGERS": "触发",
    "SUGGESTS": "建议",
    "HAS_EVENT": "新闻",
    "INCLUDES": "包含",
    "LINKAGE": "公私联动",
}
_NAMESPACE = {"PRODUCT": PRODUCT, "RULE": RULE, "EVENT": EVENT, "OPPORTUNITY": OPPORTUNITY}


def _key(node: PathNode) -> NodeKey:
    return (_NAMESPACE.get(node.kind, PARTY), node.id)


def _attrs(g: nx.MultiDiGraph, node: NodeKey) -> dict[str, Any]:
    data: dict[str, Any] = g.nodes[node]
    return data


def _unit_word(g: nx.MultiDiGraph, org: NodeKey) -> str:
    org_type = _attrs(g, org).get("org_type")
    return enum_label(org_type, Language.ZH) if isinstance(org_type, OrgType) else "下属单位"


def _group_words(g: nx.MultiDiGraph, route: list[NodeKey]) -> tuple[str, list[str]]:
    """As `_group_relation` of analytics/cross_sell.py: the relation and each hop's word."""
    words: list[str] = []
    ups = downs = 0
    for a, b in itertools.pairwise(route):
        if g.has_edge(a, b, "PART_OF"):
            ups += 1
            words.append("母公司")
        else:
            downs += 1
            words.append(_unit_word(g, b))
    if ups == 1 and downs == 0:
        relation = "母公司"
    elif ups == 0 and downs == 1:
        relation = words[0]
    elif ups == 1 and downs == 1:
        relation = "兄弟公司"
    else:
        relation = "集团内公司"
    return relation, words


def _employment(g: nx.MultiDiGraph, party: NodeKey, other: NodeKey) -> tuple[bool, str | None]:
    """Whether the party is the person of the employment, and the person's title there."""
    to_person = _attrs(g, party)["kind"] == PartyKind.PERSON.value
    person, org = (party, other) if to_person else (other, party)
    data = g.get_edge_data(person, org, "WORKS_FOR") or {}
    title: str | None = data.get("title") or _attrs(g, person).get("occupation")
    return to_person, title


def _stage_label(g: nx.MultiDiGraph, opportunity: NodeKey) -> str:
    stage: OpportunityStage = _attrs(g, opportunity)["stage"]
    return enum_label(stage, Language.ZH)


def _customers(party_kind: str) -> str:
    return "个人客户" if party_kind == PartyKind.PERSON.value else "机构客户"


def _texts(g: nx.MultiDiGraph, e: Evidence, stats: CoHoldingStats) -> tuple[list[str | None], str]:
    """The evidence's link labels (None: keep the drawn one) and explanation in Chinese."""
    nodes = [_key(n) for n in e.path.nodes]
    names = [n.label for n in e.path.nodes]
    labels: list[str | None] = [_VERBS.get(link.type) for link in e.path.links]
    party = nodes[0]
    match e.kind:
        case EvidenceKind.HOUSEHOLD:
            role: FamilyKind = (g.get_edge_data(party, nodes[1], "FAMILY") or {})["role"]
            labels[0] = KIN[role]
            return labels, f"{KIN[role]}{names[1]}持有{names[2]}"
        case EvidenceKind.GROUP:
            relation, words = _group_words(g, nodes[:-1])
            labels[: len(words)] = words
            return labels, f"{relation}{names[-2]}持有{names[-1]}"
        case EvidenceKind.EMPLOYER:
            to_person, title = _employment(g, party, nodes[1])
            labels[0] = title or ("任职于" if to_person else "雇用")
            if e.rule_id is not None:
                return labels, f"{names[1]}持有{names[2]}:{e.reason}"
            if to_person:
                why = (
                    f"{names[1]}的{title},{names[1]}是对公客户(持有{names[2]}):"
                    "对公客户的高管是私人银行与财富管理的潜在客户"
                )
            else:
                why = (
                    f"高管{names[1]}({title})在我行持有{names[2]}:"
                    "零售客户的雇主是代发工资与企业年金的潜在客户"
                )
            return labels, f"{why} → {names[-1]}"
        case EvidenceKind.RULE:
            return labels, f"{names[1]}:{e.reason}"
        case EvidenceKind.OPPORTUNITY:
            stage = _stage_label(g, nodes[1])
            labels[0] = f"进行中的商机({stage})"
            return labels, f"进行中的商机{names[1]}(阶段:{stage})包含{names[2]}"
        case EvidenceKind.SIMILAR_CUSTOMERS:
            conf, lift = e.confidence or 0.0, e.lift or 0.0
            labels[1] = f"共同持有:置信度{conf:.0%},提升度{lift:.1f}"
            return labels, (
                f"持有{names[1]}的客户也持有{names[2]}:{e.pair_count}位客户,"
                f"支持度{(e.support or 0.0):.1%},置信度{conf:.0%},提升度{lift:.1f}"
            )
        case EvidenceKind.POPULARITY:
            kind = _attrs(g, party)["kind"]
            person = kind == PartyKind.PERSON.value
            customers = stats.people if person else stats.organizations
            popular = next(x for x in stats.popular if x.product.id == e.product_id)
            holders = popular.people if person else popular.organizations
            share = holders / customers
            labels[0] = f"{share:.0%}的{_customers(kind)}持有"
            return labels, (
                f"邻域内没有证据;在{customers}位持有产品的{_customers(kind)}中,"
                f"{holders}位持有{names[1]}({share:.0%})"
            )
    return labels, e.path.explanation or ""


def _evidence(g: nx.MultiDiGraph, e: Evidence, stats: CoHoldingStats) -> Evidence:
    labels, explanation = _texts(g, e, stats)
    links = tuple(
        link if label is None else replace(link, label=label)
        for link, label in zip(e.path.links, labels, strict=True)
    )
    path: GraphPath = replace(e.path, links=links, explanation=explanation)
    return replace(e, path=path)


def in_chinese(
    g: nx.MultiDiGraph, stats: CoHoldingStats, result: CrossSellResult
) -> CrossSellResult:
    """The result with every evidence path's labels and explanation in Chinese."""
    suggestions: tuple[Suggestion, ...] = tuple(
        replace(s, evidence=tuple(_evidence(g, e, stats) for e in s.evidence))
        for s in result.suggestions
    )
    return replace(result, suggestions=suggestions)

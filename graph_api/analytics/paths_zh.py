"""Chinese wording of a drawn path's link labels and explanation, from the links it crosses."""

from __future__ import annotations

import itertools
from dataclasses import replace

import networkx as nx

from graph_api.analytics.paths import SAME_TEAM, SAME_UNIT, SKIP_LEVEL, Link, link_between
from graph_api.analytics.strength_zh import explain_zh
from graph_api.domain import model as m

# (forward, backward): the sentence for a link read in its stored direction, or against it.
_FAMILY: dict[str, tuple[str, str]] = {
    m.FamilyKind.SPOUSE: ("配偶", "配偶"),
    m.FamilyKind.PARENT: ("父母", "子女"),
    m.FamilyKind.CHILD: ("子女", "父母"),
    m.FamilyKind.SIBLING: ("兄弟姐妹", "兄弟姐妹"),
    m.FamilyKind.OTHER: ("亲属", "亲属"),
}
_VERBS: dict[str, tuple[str, str]] = {
    "WORKS_FOR": ("任职于", "雇用"),
    "REPORTS_TO": ("汇报给", "管理"),
    "INFLUENCES": ("影响", "听取其意见"),
    "KNOWS": ("认识", "认识"),
    "COVERS": ("覆盖", "被覆盖"),
}
_COLLEAGUE: dict[str, tuple[str, str]] = {
    SAME_TEAM: ("同组同事", "同组同事"),
    SKIP_LEVEL: ("隔级汇报给", "隔级管理"),
    SAME_UNIT: ("同事", "同事"),
}
_KINDS = {
    "POLITICAL": "政治",
    "TECHNICAL": "技术",
    "BUSINESS": "业务",
    "PERSONAL": "私人",
    "SOCIAL": "社交",
    "FINANCIAL": "财务",
}


def link_label(link: Link, forward: bool) -> str:
    """The link's relation in Chinese, e.g. 配偶, 任职于(首席财务官 CFO), 影响(政治)."""
    if link.type == "FAMILY":
        words = _FAMILY.get(link.kind or "", _FAMILY[m.FamilyKind.OTHER])
        return words[0] if forward else words[1]
    if link.type == "COLLEAGUE":
        word = _COLLEAGUE[link.kind or SAME_UNIT][0 if forward else 1]
        if link.kind == SAME_UNIT:
            return f"{word}({link.detail},{link.size}人)"
        if link.kind == SAME_TEAM:
            return f"{word}({link.detail}下属)"
        return f"{word}(经{link.detail})"
    if link.engaged is not None and not link.declared:
        return f"有互动({_earned_words(link)})"
    label = _VERBS[link.type][0 if forward else 1]
    if link.type in ("WORKS_FOR", "KNOWS"):
        extra = link.detail
    else:
        extra = _KINDS.get(link.kind or "", link.kind) if link.kind else None
    if link.engaged is not None:
        extra = f"{extra};{_earned_words(link)}" if extra else _earned_words(link)
    return f"{label}({extra})" if extra else label


def _earned_words(link: Link) -> str:
    assert link.engaged is not None and link.now is not None
    return explain_zh(link.engaged, link.now)


def _sentence(a: str, link: Link, forward: bool, b: str) -> str:
    if link.type == "FAMILY":
        return f"{a}是{b}的{link_label(link, forward)}"
    if link.type == "INFLUENCES" and not forward:
        return f"{a}听取{b}的意见" + (f"({_KINDS.get(link.kind, link.kind)})" if link.kind else "")
    if link.type == "COLLEAGUE" and link.kind != SKIP_LEVEL:
        return f"{a}与{b}是{link_label(link, forward)}"
    if link.engaged is not None and not link.declared:
        return f"{a}与{b}{link_label(link, forward)}"
    if link.type == "COVERS" and not forward:
        return f"{a}由{b}覆盖" + (f"({_KINDS.get(link.kind, link.kind)})" if link.kind else "")
    return f"{a}{link_label(link, forward)}{b}"


def in_chinese(graph: nx.Graph, path: m.GraphPath) -> m.GraphPath:
    """The path with its link labels and explanation in Chinese (the same links, in order)."""
    links: list[m.PathLink] = []
    sentences: list[str] = []
    for drawn, (a, b) in zip(path.links, itertools.pairwise(n.id for n in path.nodes), strict=True):
        link = link_between(graph, a, b)
        forward = link.source == a
        links.append(replace(drawn, label=link_label(link, forward)))
        names = graph.nodes[a]["node"].label, graph.nodes[b]["node"].label
        sentences.append(f"{_sentence(names[0], link, forward, names[1])}({link.strength:.2f})")
    strength = path.weight or 0.0
    explanation = ";".join(sentences) + f"。共{len(links)}步,强度{strength:.2f}。"
    return replace(path, links=tuple(links), explanation=explanation)

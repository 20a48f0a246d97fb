"""Chinese wording as it was before the columnar path: a frozen copy of
graph_api/analytics/deciders_zh.py on the reference graph (do not change it).

The English sentences are written by `describe` in analytics/deciders.py; this module says
the same facts in Chinese sentences (not English ones with Chinese names), for requests
whose Accept-Language prefers Chinese. It reads only the KeyDecider's fields and the names
in the decision graph, so both languages always tell the same facts.
"""

from __future__ import annotations

from dataclasses import replace

from graph_api.domain import model as m
from graph_api.domain.deciders import (
    Assessment,
    DecisionLayerMember,
    KeyDecider,
    Risk,
    RiskKind,
    RoleSource,
    ScoreComponent,
)
from tests.integration.deciders_reference.analytics import (
    NAMED_LISTENERS,
    DecisionGraph,
    listening_strength,
)
from tests.integration.deciders_reference.assessment import DECISION_ROLES, TOP_RANKED_IN_LAYER

ROLE_NOUN: dict[m.BuyingRole, str] = {
    m.BuyingRole.DECISION_MAKER: "决策者",
    m.BuyingRole.APPROVER: "审批者",
    m.BuyingRole.EVALUATOR: "评估者",
    m.BuyingRole.INFLUENCER: "咨询者",
    m.BuyingRole.USER: "使用者",
}
ROLE_PHRASE: dict[m.BuyingRole, str] = {
    m.BuyingRole.DECISION_MAKER: "做决定(决)",
    m.BuyingRole.APPROVER: "负责审批(审)",
    m.BuyingRole.EVALUATOR: "负责评估(研)",
    m.BuyingRole.INFLUENCER: "提供咨询意见(咨)",
    m.BuyingRole.USER: "使用产品(用)",
}
ATTITUDE_PHRASE: dict[m.Attitude, str] = {
    m.Attitude.SUPPORTER: "支持我们",
    m.Attitude.NEUTRAL: "对我们持中立态度",
    m.Attitude.NON_SUPPORTER: "不支持我们",
    m.Attitude.OPPONENT: "反对我们",
}
INFLUENCE_PHRASE: dict[m.InfluenceLevel, str] = {
    m.InfluenceLevel.HIGH: "影响力高",
    m.InfluenceLevel.MEDIUM: "影响力中等",
    m.InfluenceLevel.LOW: "影响力低",
}


def join_names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def _with_title(graph: DecisionGraph, pid: str) -> str:
    title = graph.title(pid)
    name = graph.display(pid)
    return f"{name}({title})" if title else name


def role_clause(graph: DecisionGraph, k: KeyDecider) -> str:
    c = k.candidate
    if c.role is None:
        clause = "未标注采购角色"
    else:
        clause = ROLE_PHRASE[c.role]
        if c.influence is not None:
            clause += f",{INFLUENCE_PHRASE[c.influence]}"
        if graph.for_opportunity and c.role_source is RoleSource.ACCOUNT:
            clause += "【客户上标注】"
    if c.attitude is not None:
        clause += "," + ATTITUDE_PHRASE[c.attitude]
    return clause


def formal_clause(graph: DecisionGraph, k: KeyDecider) -> str:
    c = k.candidate
    if c.external:
        where = ",".join(x for x in (c.organization_name, c.title) if x)
        return f"客户外部人员({where})" if where else "客户外部人员"
    if k.level is None:
        return "不在已知的汇报线上"
    bits: list[str] = []
    if k.manager_ids:
        bits.append("汇报给" + join_names([_with_title(graph, x) for x in k.manager_ids]))
    elif k.people_below:
        bits.append("位于汇报线顶端")
    if k.direct_reports:
        reports = f"直接下属{k.direct_reports}人"
        if k.people_below > k.direct_reports:
            reports += f",下属共{k.people_below}人"
        bits.append(reports)
    return ",".join(bits)


def listeners_clause(graph: DecisionGraph, k: KeyDecider) -> str:
    listeners = k.listened_to_by
    if not listeners:
        return ""
    if len(listeners) <= NAMED_LISTENERS:
        names = []
        for pid in listeners:
            role = graph.candidates[pid].role
            name = graph.display(pid)
            names.append(f"{name}({ROLE_NOUN[role]})" if role else name)
        return f"{join_names(names)}听取其意见"
    counts: dict[m.BuyingRole | None, int] = {}
    for pid in listeners:
        role = graph.candidates[pid].role
        counts[role] = counts.get(role, 0) + 1
    groups = [
        f"{counts[role]}位{ROLE_NOUN[role] if role else '其他人'}"
        for role in (*m.BuyingRole, None)
        if counts.get(role)
    ]
    return f"{join_names(groups)}听取其意见"


def listens_to_clause(graph: DecisionGraph, k: KeyDecider) -> str:
    heard = k.listens_to
    if not heard:
        return ""
    if len(heard) <= NAMED_LISTENERS:
        return "听取" + join_names([graph.display(p) for p in heard]) + "的意见"
    return f"听取{len(heard)}人的意见"


def informal_detail(graph: DecisionGraph, k: KeyDecider) -> str:
    listeners = len(k.listened_to_by)
    if not listeners:
        return "没有已知听取其意见的人"
    return f"{listeners}人听取其意见,影响强度合计{listening_strength(graph, k.id):.2f}"


def in_chinese(graph: DecisionGraph, k: KeyDecider) -> KeyDecider:
    """The decider with its explanation and the details of its score parts in Chinese."""
    role, formal = role_clause(graph, k), formal_clause(graph, k)
    details = {
        ScoreComponent.ROLE: role,
        ScoreComponent.FORMAL: formal,
        ScoreComponent.INFORMAL: informal_detail(graph, k),
    }
    clauses = (role, formal, listeners_clause(graph, k), listens_to_clause(graph, k))
    return replace(
        k,
        parts=tuple(replace(p, detail=details[p.component]) for p in k.parts),
        explanation=";".join(x for x in clauses if x),
    )


def who(d: KeyDecider) -> str:
    role = d.candidate.role
    what = ROLE_NOUN[role] if role is not None else "未标注角色"
    return f"{d.candidate.name}({what},排名第{d.rank})"


def _way_in(graph: DecisionGraph, decider: KeyDecider, via: tuple[str, ...]) -> str:
    words = []
    for pid in via:
        cand = graph.candidates[pid]
        best = max(cand.coverage, key=lambda c: (c.strength or 0.0, c.rep.id))
        if graph.influence.has_edge(pid, decider.id):
            link = f"{decider.candidate.name}听取其意见"
        elif graph.influence.has_edge(decider.id, pid):
            link = f"听取{decider.candidate.name}的意见"
        elif pid in decider.manager_ids:
            link = "上级"
        else:
            link = "直接下属"
        words.append(f"{cand.name}({link};{best.rep.name}覆盖,强度{best.strength or 0:.1f})")
    return join_names(words)


def _risk_message(graph: DecisionGraph, a: Assessment, r: Risk) -> str:
    deciders = {x.decider.id: x.decider for x in a.decision_layer}
    d = deciders.get(r.person_id or "")
    if r.kind is RiskKind.NO_SUPPORTER_IN_DECISION_LAYER:
        return "决策层中无人支持我们。"
    if r.kind is RiskKind.LEVEL_WITHOUT_COVERAGE:
        lv = next(x for x in a.levels if x.level == r.level)
        names = "、".join(graph.display(pid) for pid in lv.uncovered_ids[:3])
        more = f"等{lv.people}人" if lv.people > 3 else ""
        return f"第{lv.level}层无人被我们的销售覆盖({names}{more})。"
    if d is None:  # every other kind names a decider of the layer
        return r.message
    if r.kind is RiskKind.OPPOSED_DECIDER and d.candidate.attitude is not None:
        return f"{who(d)}{ATTITUDE_PHRASE[d.candidate.attitude]}。"
    if r.kind is RiskKind.UNCOVERED_DECIDER:
        message = f"{who(d)}没有被我们的任何销售覆盖。"
        if r.via_ids:
            message += "切入途径:" + _way_in(graph, d, r.via_ids) + "。"
        return message
    if r.kind is RiskKind.WEAKLY_COVERED_DECIDER:
        return f"{who(d)}的覆盖薄弱(最强{d.strongest_coverage or 0:.1f})。"
    return r.message


def _reason(member: DecisionLayerMember) -> str:
    d = member.decider
    reasons = []
    if d.candidate.role in DECISION_ROLES:
        reasons.append(f"标注为{ROLE_NOUN[d.candidate.role]}")
    if d.rank <= TOP_RANKED_IN_LAYER and d.score > 0:
        reasons.append(f"决策力排名第{d.rank}")
    return ",".join(reasons)


def assessment_in_chinese(graph: DecisionGraph, a: Assessment) -> Assessment:
    """The assessment with its answers, reasons, risks and deciders in Chinese."""
    layer = [x.decider for x in a.decision_layer]
    if not layer:
        support = "否:决策层中没有已知人员(没有角色,也没有组织结构)。"
    elif a.supporters:
        support = "是:" + join_names([who(d) for d in a.supporters]) + "支持我们。"
    else:
        ids = {d.id for d in a.opponents}
        others = [d for d in layer if d.id not in ids]
        support = "否:决策层中无人支持我们"
        if others:
            support += ";未标注态度或中立:" + join_names([who(d) for d in others])
        support += "。"
    if a.opponents:
        support += "不支持或反对我们:" + join_names([who(d) for d in a.opponents]) + "。"
    bare = [lv.level for lv in a.levels if lv.covered == 0]
    uncovered = [d for d in layer if d.strongest_coverage is None]
    if a.relationships_at_every_level:
        numbers = join_names([str(lv.level) for lv in a.levels])
        where = f"第{numbers}层都有覆盖" if a.levels else "没有已知层级"
        coverage = f"是:{where},且每位决策人都被覆盖。"
    else:
        gaps = []
        if bare:
            gaps.append("第" + join_names([str(x) for x in bare]) + "层无覆盖")
        if uncovered:
            gaps.append("未覆盖:" + join_names([who(d) for d in uncovered]))
        coverage = "否:" + ";".join(gaps) + "。"
    return replace(
        a,
        support_answer=support,
        coverage_answer=coverage,
        decision_layer=tuple(
            DecisionLayerMember(in_chinese(graph, x.decider), _reason(x)) for x in a.decision_layer
        ),
        supporters=tuple(in_chinese(graph, k) for k in a.supporters),
        opponents=tuple(in_chinese(graph, k) for k in a.opponents),
        risks=tuple(replace(r, message=_risk_message(graph, a, r)) for r in a.risks),
    )

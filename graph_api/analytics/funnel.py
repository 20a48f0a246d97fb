"""The funnel (I/C/Q/D/C, seed 003): opportunities by stage with probability-weighted value,
and each opportunity's exit criteria of its stage checked on the graph's facts.

Pure: rows of facts in, the funnel out. The rules are in docs/ANALYTICS.md (The funnel).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from graph_api.domain import model as m
from graph_api.domain import tas as t
from graph_api.domain import view as v
from graph_api.domain.i18n import Language

S = m.OpportunityStage
OPEN_STAGES = (S.IDENTIFIED, S.CONTACTED, S.QUALIFIED, S.DEVELOPED, S.COMMITTED)
_MET, _NOT, _UNKNOWN = t.CriterionStatus.MET, t.CriterionStatus.NOT_MET, t.CriterionStatus.UNKNOWN
_GRAPH, _TEAM = t.AnswerSource.GRAPH, t.AnswerSource.TEAM
# Interactions that are meetings with the customer (seed 003: 安排会议, 召集客户开会).
_MEETINGS = frozenset({m.InteractionKind.MEETING.value, m.InteractionKind.VISIT.value})


def _say(language: Language, en: str, zh: str) -> str:
    return zh if language is Language.ZH else en


@dataclass(frozen=True, slots=True)
class OpportunityRow:
    """What the exit criteria are checked on, for one opportunity."""

    id: str
    name: str
    account_id: str
    account_name: str
    stage: m.OpportunityStage
    amount: float | None
    close_date: date | None
    owner: v.Rep | None
    # (person id, role, attitude): on the opportunity, and on its account.
    opportunity_markers: Sequence[tuple[str, str | None, str | None]]
    account_markers: Sequence[tuple[str, str | None, str | None]]
    interaction_kinds: Sequence[str]
    answers: Sequence[tuple[int, str, datetime]]  # (question, answer, answeredAt)
    competitors: Sequence[tuple[str, bool | None]]  # (competitor id, shortlisted)


def markers(row: OpportunityRow) -> dict[str, tuple[m.BuyingRole | None, m.Attitude | None]]:
    """Each person's marker: the one on the opportunity, else the one on the account (as the
    decider ranking falls back to the account's judgement)."""
    out: dict[str, tuple[m.BuyingRole | None, m.Attitude | None]] = {}
    for rows in (row.account_markers, row.opportunity_markers):
        for pid, role, attitude in rows:
            out[pid] = (
                m.BuyingRole(role) if role else None,
                m.Attitude(attitude) if attitude else None,
            )
    return out


def _fresh(row: OpportunityRow, as_of: date, stale_days: int) -> dict[int, t.TasAnswer]:
    latest: dict[int, tuple[datetime, t.TasAnswer]] = {}
    for q, answer, at in row.answers:
        if at.date() > as_of:
            continue
        if q not in latest or at >= latest[q][0]:
            latest[q] = (at, t.TasAnswer(answer))
    return {q: a for q, (at, a) in latest.items() if (as_of - at.date()).days <= stale_days}


def _from_answers(
    code: str, text: str, answers: Mapping[int, t.TasAnswer], questions: Sequence[int],
    language: Language,
) -> t.Criterion:  # fmt: skip
    given = [answers.get(q, t.TasAnswer.UNKNOWN) for q in questions]
    names = ", ".join(f"TAS {q}" for q in questions)
    if any(a is t.TasAnswer.NO for a in given):
        status = _NOT
    elif all(a is t.TasAnswer.YES for a in given):
        status = _MET
    else:
        status = _UNKNOWN
    detail = {
        _MET: _say(language, f"{names} answered YES", f"{names}已回答“是”"),
        _NOT: _say(language, f"{names} answered NO", f"{names}回答为“否”"),
        _UNKNOWN: _say(language, f"{names} not answered (or stale)", f"{names}未回答或已过期"),
    }[status]
    return t.Criterion(code, text, status, _TEAM, detail)


def criteria(
    row: OpportunityRow, as_of: date, stale_days: int, language: Language = Language.EN
) -> tuple[t.Criterion, ...]:
    """The exit criteria of the opportunity's stage (seed 003), each MET, NOT_MET or UNKNOWN."""
    marks = markers(row)
    roles = [r for r, _ in marks.values()]
    deciders = [a for r, a in marks.values() if r is m.BuyingRole.DECISION_MAKER]
    approvers = [a for r, a in marks.values() if r is m.BuyingRole.APPROVER]
    answers = _fresh(row, as_of, stale_days)
    meetings = sum(1 for k in row.interaction_kinds if k in _MEETINGS)

    def say(en: str, zh: str) -> str:
        return _say(language, en, zh)

    def deciders_identified(code: str) -> t.Criterion:
        n = len(deciders)
        return t.Criterion(
            code,
            say("All decision makers identified", "识别所有做决定的人"),
            _MET if n else _NOT,
            _GRAPH,
            say(f"{n} decision maker(s) (决) identified", f"已识别{n}位决策者(决)")
            if n
            else say("No decision maker (决) is identified", "尚未识别决策者(决)"),
        )

    def meeting(code: str, en: str, zh: str, unknown_when_none: bool) -> t.Criterion:
        status = _MET if meetings else (_UNKNOWN if unknown_when_none else _NOT)
        return t.Criterion(
            code,
            say(en, zh),
            status,
            _GRAPH,
            say(f"{meetings} meeting(s) or visit(s) recorded", f"已记录{meetings}次会议或拜访"),
        )

    stage = row.stage
    if stage is S.IDENTIFIED:
        missing = [
            label
            for wanted, label in (
                ((m.BuyingRole.DECISION_MAKER,), say("decision maker (决)", "决策者(决)")),
                (
                    (m.BuyingRole.INFLUENCER, m.BuyingRole.EVALUATOR),
                    say("influencer (咨/研)", "影响者(咨/研)"),
                ),
                ((m.BuyingRole.USER,), say("end user (用)", "最终使用者(用)")),
            )
            if not any(r in wanted for r in roles)
        ]
        return (
            t.Criterion(
                "I1",
                say(
                    "Deciders, influencers and end users identified",
                    "识别所有做决定的人、有影响力的人和最终使用者",
                ),
                _NOT if missing else _MET,
                _GRAPH,
                say("Missing: " + ", ".join(missing), "缺少:" + "、".join(missing))
                if missing
                else say("All three kinds are marked", "三类人员均已标注"),
            ),
            meeting("I2", "Meetings scheduled", "安排会议,确认日程表", False),
            _from_answers(
                "I3", say("Key needs confirmed", "确认最关键的需求"), answers, [1], language
            ),
        )
    if stage is S.CONTACTED:
        date_known = row.close_date is not None and row.close_date >= as_of
        return (
            _from_answers("C1", say("Needs agreed", "已经同意的需求"), answers, [1], language),
            _from_answers(
                "C2",
                say("Benefits and solution agreed", "客户能得到的好处和解决方案"),
                answers,
                [7],
                language,
            ),
            _from_answers("C3", say("Financial capacity", "财务能力"), answers, [2], language),
            t.Criterion(
                "C4",
                say("Delivery and installation plan", "发货和安装进程"),
                _MET if date_known else (_UNKNOWN if row.close_date is None else _NOT),
                _GRAPH,
                say(f"Close date {row.close_date}", f"截止日期{row.close_date}")
                if row.close_date
                else say("No close date", "无截止日期"),
            ),
        )
    if stage is S.QUALIFIED:
        supporting = [a for a in approvers if a is m.Attitude.SUPPORTER]
        against = [a for a in approvers if a in (m.Attitude.OPPONENT, m.Attitude.NON_SUPPORTER)]
        return (
            deciders_identified("Q1"),
            meeting("Q2", "The customer reviewed the proposal", "客户回顾提议/解决方案", True),
            t.Criterion(
                "Q3",
                say("The quote is approved", "报价已经得到客户的批准"),
                _NOT if against else (_MET if supporting else _UNKNOWN),
                _GRAPH,
                say(
                    f"{len(approvers)} approver(s) (审), {len(supporting)} supporting",
                    f"{len(approvers)}位审批者(审),{len(supporting)}位支持",
                ),
            ),
        )
    if stage is S.DEVELOPED:
        against = [a for a in deciders if a in (m.Attitude.OPPONENT, m.Attitude.NON_SUPPORTER)]
        all_for = bool(deciders) and all(a is m.Attitude.SUPPORTER for a in deciders)
        shortlisted = [c for c, s in row.competitors if s]
        return (
            t.Criterion(
                "D1",
                say("The customer says we are the best", "客户讲我们公司是最好的"),
                _NOT if against else (_MET if all_for else _UNKNOWN),
                _GRAPH,
                say(
                    f"{sum(a is m.Attitude.SUPPORTER for a in deciders)} of {len(deciders)} "
                    "decision maker(s) support us",
                    f"{len(deciders)}位决策者中{sum(a is m.Attitude.SUPPORTER for a in deciders)}"
                    "位支持我们",
                ),
            ),
            _from_answers(
                "D2",
                say("Financial and technical terms agreed", "财务和技术合同条款双方同意"),
                answers,
                [2, 7],
                language,
            ),
            t.Criterion(
                "D3",
                say("The customer chose its partner", "客户决定最终的合作对象"),
                _NOT if shortlisted else _UNKNOWN,
                _GRAPH,
                say(
                    f"{len(shortlisted)} competitor(s) still shortlisted",
                    f"仍有{len(shortlisted)}家竞争对手入围",
                ),
            ),
        )
    if stage is S.COMMITTED:
        return (
            t.Criterion(
                "K1",
                say("Contract signed", "签定合同"),
                _UNKNOWN,
                _TEAM,
                say(
                    "Contracts are kept by the contract system; set the stage to WON when signed",
                    "合同由合同系统管理;签约后将阶段改为赢单",
                ),
            ),
        )
    return ()


def funnel(
    rows: Sequence[OpportunityRow],
    as_of: date,
    stale_days: int,
    language: Language = Language.EN,
) -> t.Funnel:
    """The open opportunities by stage, each with its exit criteria; weighted amount = amount
    x the stage's probability (10/25/50/75/90 %)."""
    stages = []
    for stage in OPEN_STAGES:
        in_stage = []
        for row in rows:
            if row.stage is not stage:
                continue
            weighted = None if row.amount is None else row.amount * stage.probability
            in_stage.append(
                t.FunnelOpportunity(
                    id=row.id,
                    name=row.name,
                    account_id=row.account_id,
                    account_name=row.account_name,
                    stage=stage,
                    amount=row.amount,
                    weighted_amount=None if weighted is None else m.reported(weighted),
                    close_date=row.close_date,
                    owner=row.owner,
                    criteria=criteria(row, as_of, stale_days, language),
                )
            )
        amount = sum(o.amount or 0.0 for o in in_stage)
        stages.append(
            t.FunnelStage(
                stage=stage,
                probability=stage.probability,
                count=len(in_stage),
                amount=amount,
                weighted_amount=m.reported(amount * stage.probability),
                opportunities=tuple(in_stage),
            )
        )
    return t.Funnel(
        stages=tuple(stages),
        open_count=sum(s.count for s in stages),
        open_amount=sum(s.amount for s in stages),
        weighted_amount=m.reported(sum(s.weighted_amount for s in stages)),
    )

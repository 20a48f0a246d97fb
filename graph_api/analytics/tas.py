"""The TAS scorecard of one opportunity: its 14 questions answered from the graph's facts and
the account team's recorded answers, verdicts per heading, gaps and the competitors' hold.

Pure: the facts in (domain dataclasses), the scorecard out; English or Chinese sentences made
from the same facts. The rules are in docs/ANALYTICS.md (The TAS scorecard).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from graph_api.domain import model as m
from graph_api.domain import tas as t
from graph_api.domain.i18n import Language

_ROLE_MARK = {
    m.BuyingRole.DECISION_MAKER: "决",
    m.BuyingRole.APPROVER: "审",
    m.BuyingRole.EVALUATOR: "研",
    m.BuyingRole.INFLUENCER: "咨",
    m.BuyingRole.USER: "用",
}
_ROLE_ORDER = list(_ROLE_MARK)
_AGAINST = frozenset({m.Attitude.OPPONENT, m.Attitude.NON_SUPPORTER})
_MANAGEMENT = frozenset({m.BuyingRole.DECISION_MAKER, m.BuyingRole.APPROVER})
# From this stage on we have qualified (拿到资格): the customer considers us.
_QUALIFIED = frozenset(
    {
        m.OpportunityStage.QUALIFIED,
        m.OpportunityStage.DEVELOPED,
        m.OpportunityStage.COMMITTED,
        m.OpportunityStage.WON,
    }
)

# What a gap asks to confirm, per team-answered question (en, zh).
_TOPIC: Mapping[int, tuple[str, str]] = {
    1: ("the customer's motive to buy", "客户的采购动机"),
    2: ("the budget", "项目预算"),
    3: ("the management's endorsement", "决策管理层的认同"),
    4: ("the project's date", "项目实施日期"),
    5: ("the selection criteria", "供应商筛选标准"),
    6: ("that we are on the shortlist", "我们是否在候选名单上"),
    7: ("that our solution meets the expectations", "我们的方案是否满足期望"),
    8: ("our unique business value", "我们方案的独特商业价值"),
    11: ("that we helped set up the project", "我们是否协助客户立项"),
    12: ("the short-term margin", "项目短期利润"),
    13: ("the strategic value", "项目战略价值"),
    14: ("the business risk", "项目业务风险"),
}


def _say(language: Language, en: str, zh: str) -> str:
    return zh if language is Language.ZH else en


@dataclass(frozen=True, slots=True)
class Member:
    """A person of the buying centre as the decider ranking sees them."""

    id: str
    name: str
    role: m.BuyingRole | None
    attitude: m.Attitude | None
    our_strength: float | None  # our strongest coverage; None: nobody covers them


@dataclass(frozen=True, slots=True)
class DecisionAnswers:
    """TAS 9 and 10 as `decisionAssessment` answers them."""

    supports_us: bool
    every_level: bool
    support_answer: str
    coverage_answer: str


def _marked(member: Member) -> str:
    mark = _ROLE_MARK.get(member.role) if member.role else None
    return f"{mark} {member.name}" if mark else member.name


def _names(members: Iterable[Member]) -> str:
    return ", ".join(_marked(x) for x in members)


def _latest(answers: Sequence[t.RecordedAnswer], as_of: date) -> dict[int, t.RecordedAnswer]:
    """The latest answer per question recorded on or before `as_of` (later ones did not
    exist yet that day); equal times by id."""
    latest: dict[int, t.RecordedAnswer] = {}
    for a in sorted(answers, key=lambda x: (x.answered_at, x.id)):
        if a.answered_at.date() <= as_of:
            latest[a.question] = a
    return latest


def _team(
    q: t.Question,
    recorded: t.RecordedAnswer | None,
    as_of: date,
    stale_days: int,
    language: Language,
) -> t.QuestionAnswer:
    if recorded is None:
        return t.QuestionAnswer(
            q,
            t.TasAnswer.UNKNOWN,
            t.AnswerSource.NONE,
            _say(language, "Nobody has answered.", "尚无人回答。"),
        )
    when = recorded.answered_at.date().isoformat()
    if (as_of - recorded.answered_at.date()).days > stale_days:
        return t.QuestionAnswer(
            q,
            t.TasAnswer.UNKNOWN,
            t.AnswerSource.TEAM,
            _say(
                language,
                f"Last answered {recorded.answer.value} by {recorded.answered_by} on {when}: "
                f"older than {stale_days} days.",
                f"{recorded.answered_by}于{when}回答“{_yes_no(recorded.answer, language)}”,"
                f"已超过{stale_days}天,需重新确认。",
            ),
            recorded,
            stale=True,
        )
    comment = f": {recorded.comment}" if recorded.comment else ""
    zh_comment = f":{recorded.comment}" if recorded.comment else ""
    return t.QuestionAnswer(
        q,
        recorded.answer,
        t.AnswerSource.TEAM,
        _say(
            language,
            f"Answered by {recorded.answered_by} on {when}{comment}",
            f"{recorded.answered_by}于{when}回答{zh_comment}",
        ),
        recorded,
    )


def _yes_no(answer: t.TasAnswer, language: Language) -> str:
    if language is Language.ZH:
        return {t.TasAnswer.YES: "是", t.TasAnswer.NO: "否"}.get(answer, "未知")
    return answer.value


def _q3(members: Sequence[Member], language: Language) -> tuple[t.TasAnswer, str]:
    """Management endorsement: the 决 and 审 of the buying centre and their attitudes."""
    management = [x for x in members if x.role in _MANAGEMENT]
    if not management:
        return t.TasAnswer.UNKNOWN, _say(
            language,
            "No decision maker (决) or approver (审) is identified.",
            "尚未识别决策者(决)或审批者(审)。",
        )
    opposed = [x for x in management if x.attitude is m.Attitude.OPPONENT]
    if opposed:
        return t.TasAnswer.NO, _say(
            language, f"{_names(opposed)} opposes.", f"{_names(opposed)}反对。"
        )
    supporters = [x for x in management if x.attitude is m.Attitude.SUPPORTER]
    against = [x for x in management if x.attitude in _AGAINST]
    if supporters and not against:
        return t.TasAnswer.YES, _say(
            language,
            f"{_names(supporters)} supports; nobody in management is against.",
            f"{_names(supporters)}支持,决策管理层无人反对。",
        )
    if against:
        return t.TasAnswer.UNKNOWN, _say(
            language,
            f"{_names(against)} does not support us.",
            f"{_names(against)}不支持我们。",
        )
    return t.TasAnswer.UNKNOWN, _say(
        language,
        f"Nobody in management has shown support yet ({_names(management)}).",
        f"决策管理层尚无人表态支持({_names(management)})。",
    )


def _q4(o: t.OpportunityFacts, as_of: date, language: Language) -> tuple[t.TasAnswer, str]:
    if o.close_date is None:
        return t.TasAnswer.UNKNOWN, _say(language, "No close date is recorded.", "未记录截止日期。")
    day = o.close_date.isoformat()
    if not o.stage.is_open:
        return t.TasAnswer.YES, _say(language, f"Closed on {day}.", f"已于{day}结束。")
    days = (o.close_date - as_of).days
    if days < 0:
        return t.TasAnswer.NO, _say(
            language,
            f"The close date {day} has passed and the opportunity is still open.",
            f"截止日期{day}已过,商机仍未关闭。",
        )
    return t.TasAnswer.YES, _say(
        language, f"Close date {day}, in {days} days.", f"截止日期{day},还有{days}天。"
    )


def _q6(o: t.OpportunityFacts, language: Language) -> tuple[t.TasAnswer, str]:
    if o.stage is m.OpportunityStage.LOST:
        return t.TasAnswer.NO, _say(language, "The opportunity is lost.", "商机已丢单。")
    if o.stage in _QUALIFIED:
        return t.TasAnswer.YES, _say(
            language,
            f"At stage {o.stage.value}: we have qualified.",
            f"处于{o.stage.value}阶段:我们已拿到资格。",
        )
    if o.competitors:
        listed = ", ".join(
            c.name + (_say(language, " (shortlisted)", "(入围)") if s else "")
            for c, s, _ in o.competitors
        )
        return t.TasAnswer.YES, _say(
            language,
            f"The customer is comparing us with {listed}.",
            f"客户正在将我们与{listed}比较。",
        )
    return t.TasAnswer.UNKNOWN, _say(
        language,
        "No competitor is recorded and we have not qualified yet.",
        "未记录竞争对手,我们也尚未拿到资格。",
    )


def _q13(o: t.OpportunityFacts, language: Language) -> tuple[t.TasAnswer, str]:
    cell = m.rad_cell(o.annual_purchase, o.share_of_wallet)
    column = int(cell[1]) if cell else None
    tier = o.account_tier
    facts = ", ".join(
        x
        for x in (
            f"tier {tier.value}" if tier else None,
            f"RAD {cell}" if cell else None,
        )
        if x
    )
    zh_facts = ",".join(
        x
        for x in (
            f"客户分层{tier.value}" if tier else None,
            f"RAD {cell}" if cell else None,
        )
        if x
    )
    if tier is m.Tier.STRATEGIC or column == 1:
        return t.TasAnswer.YES, _say(
            language,
            f"{o.account_name} is a key account ({facts}).",
            f"{o.account_name}是重点客户({zh_facts})。",
        )
    if tier is m.Tier.NON_STRATEGIC and column in (None, 3):
        return t.TasAnswer.NO, _say(
            language,
            f"{o.account_name} is not strategic ({facts}).",
            f"{o.account_name}不是战略客户({zh_facts})。",
        )
    if not facts:
        return t.TasAnswer.UNKNOWN, _say(
            language,
            f"{o.account_name} has neither a tier nor a RAD cell.",
            f"{o.account_name}没有客户分层和RAD分类。",
        )
    return t.TasAnswer.UNKNOWN, _say(
        language,
        f"{o.account_name} is neither strategic nor a top buyer ({facts}).",
        f"{o.account_name}既非战略客户也非大采购量客户({zh_facts})。",
    )


def positions(
    members: Sequence[Member], holds: Sequence[t.CompetitorHold]
) -> tuple[t.DeciderPosition, ...]:
    """Per marked person (决 first, then 审 研 咨 用; by name), who is closer: we or the
    competitor holding them most strongly."""
    by_person: dict[str, t.CompetitorHold] = {}
    for h in sorted(holds, key=lambda h: (-h.strength, h.competitor.id)):
        by_person.setdefault(h.person_id, h)
    out = []
    marked = [x for x in members if x.role is not None]
    for x in sorted(marked, key=lambda x: (_ROLE_ORDER.index(x.role), x.name, x.id)):  # type: ignore[arg-type]
        hold = by_person.get(x.id)
        ours, theirs = x.our_strength, hold.strength if hold else None
        if ours is None and theirs is None:
            closer = t.Closer.NOBODY
        elif theirs is None or (ours is not None and ours > theirs):
            closer = t.Closer.US
        elif ours is None or theirs > ours:
            closer = t.Closer.COMPETITOR
        else:
            closer = t.Closer.TIE
        out.append(
            t.DeciderPosition(
                person_id=x.id,
                name=x.name,
                role=x.role,
                attitude=x.attitude,
                our_strength=ours,
                competitor_strength=theirs,
                competitor=hold.competitor if hold else None,
                competitor_champion=bool(hold and hold.champion),
                closer=closer,
            )
        )
    return tuple(out)


def _verdict(answers: Sequence[t.QuestionAnswer]) -> t.TasAnswer:
    if any(a.answer is t.TasAnswer.NO for a in answers):
        return t.TasAnswer.NO
    if all(a.answer is t.TasAnswer.YES for a in answers):
        return t.TasAnswer.YES
    return t.TasAnswer.UNKNOWN


def _gap(a: t.QuestionAnswer, members: Sequence[Member], language: Language) -> t.Gap | None:
    q = a.question
    if a.answer is t.TasAnswer.YES:
        return None
    en_topic, zh_topic = _TOPIC.get(q.number, ("", ""))
    asked = [x for x in members if q.ask and x.role is not None and x.role.value == q.ask]
    if a.source is t.AnswerSource.GRAPH or q.number in (9, 10):
        return t.Gap(
            q.number,
            _say(language, f"Q{q.number} ({q.en}) {a.reason}", f"问题{q.number}({q.zh}){a.reason}"),
        )
    if a.answer is t.TasAnswer.NO:
        return t.Gap(
            q.number,
            _say(
                language,
                f"Q{q.number} answered NO ({en_topic}): {a.reason}",
                f"问题{q.number}回答为否({zh_topic}):{a.reason}",
            ),
        )
    with_whom = _say(language, f" with {_names(asked)}", f"与{_names(asked)}") if asked else ""
    ids = tuple(x.id for x in asked)
    if a.stale:
        return t.Gap(
            q.number,
            _say(
                language,
                f"Confirm {en_topic} again{with_whom}: {a.reason}",
                f"需重新{with_whom}确认{zh_topic}:{a.reason}",
            ),
            ids,
        )
    return t.Gap(
        q.number,
        _say(
            language,
            f"Nobody has confirmed {en_topic}{with_whom}.",
            f"尚无人{with_whom}确认{zh_topic}。",
        ),
        ids,
    )


def _competitor_gaps(deciders: Sequence[t.DeciderPosition], language: Language) -> list[t.Gap]:
    gaps = []
    for d in deciders:
        if d.role not in _MANAGEMENT or d.competitor is None or d.closer is not t.Closer.COMPETITOR:
            continue
        mark = f"{_ROLE_MARK[d.role]} {d.name}" if d.role else d.name
        champion = _say(language, ", their champion", ",其支持者") if d.competitor_champion else ""
        theirs = f"{d.competitor_strength:.2f}"
        if d.our_strength is None:
            text = _say(
                language,
                f"{d.competitor.name} holds {mark} ({theirs}{champion}); "
                "nobody on our team covers them.",
                f"{d.competitor.name}掌握{mark}({theirs}{champion}),我方无人覆盖。",
            )
        else:
            text = _say(
                language,
                f"{d.competitor.name} is closer to {mark} ({theirs}{champion}) than we are "
                f"({d.our_strength:.2f}).",
                f"{d.competitor.name}与{mark}的关系({theirs}{champion})强于我方({d.our_strength:.2f})。",
            )
        gaps.append(t.Gap(None, text, (d.person_id,)))
    return gaps


def scorecard(
    o: t.OpportunityFacts,
    members: Sequence[Member],
    decision: DecisionAnswers,
    as_of: date,
    stale_days: int,
    language: Language = Language.EN,
) -> t.Scorecard:
    """The 14 questions of `o` on `as_of`: the graph's answer where it knows (3, 4, 6, 9, 10,
    13), else the account team's latest answer if not older than `stale_days`."""
    latest = _latest(o.answers, as_of)
    graph: dict[int, tuple[t.TasAnswer, str]] = {
        3: _q3(members, language),
        4: _q4(o, as_of, language),
        6: _q6(o, language),
        9: (t.TasAnswer.YES if decision.supports_us else t.TasAnswer.NO, decision.support_answer),
        10: (t.TasAnswer.YES if decision.every_level else t.TasAnswer.NO, decision.coverage_answer),
        13: _q13(o, language),
    }
    answered: list[t.QuestionAnswer] = []
    for q in t.QUESTIONS:
        team = _team(q, latest.get(q.number), as_of, stale_days, language)
        computed = graph.get(q.number)
        if computed is not None and (
            computed[0] is not t.TasAnswer.UNKNOWN or team.answer is t.TasAnswer.UNKNOWN
        ):
            answered.append(
                t.QuestionAnswer(
                    q, computed[0], t.AnswerSource.GRAPH, computed[1], latest.get(q.number)
                )
            )
        else:
            answered.append(team)
    headings = tuple(
        t.HeadingVerdict(h, _verdict(group), group)
        for h in t.TasHeading
        for group in [tuple(a for a in answered if a.question.heading is h)]
    )
    deciders = positions(members, o.holds)
    gaps = [g for a in answered if (g := _gap(a, members, language)) is not None]
    gaps.extend(_competitor_gaps(deciders, language))
    on_opportunity = []
    for competitor, shortlisted, note in o.competitors:
        held = tuple(
            h
            for h in o.holds
            if h.competitor.id == competitor.id
            and any(
                d.person_id == h.person_id
                and d.role in _MANAGEMENT
                and d.competitor is not None
                and d.competitor.id == competitor.id
                and d.closer is t.Closer.COMPETITOR
                for d in deciders
            )
        )
        on_opportunity.append(t.CompetitorOnOpportunity(competitor, shortlisted, note, held))
    lost = tuple(
        d.person_id
        for d in deciders
        if d.role in _MANAGEMENT and d.competitor is not None and d.our_strength is None
    )
    return t.Scorecard(
        opportunity=o,
        as_of=as_of,
        stale_after_days=stale_days,
        headings=headings,
        gaps=tuple(gaps),
        deciders=deciders,
        competitors=tuple(on_opportunity),
        lost_to_competitors=lost,
    )

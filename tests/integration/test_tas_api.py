"""opportunityAssessment and funnel over GraphQL: the demo's CIMC opportunity answered by hand.

The demo (seed/demo.json), asOf 2026-12-01, answers older than 90 days stale:
- opp-cimc-overseas: QUALIFIED, close date 2027-03-31 (120 days on), account 中集集团
  (STRATEGIC, buying power 1.5M, share of wallet 0.3: RAD D1).
- Buying centre (opportunity markers, else the account's): 决 王志强 neutral, uncovered;
  审 李娜 supporter, our 0.9; 研 陈刚 supporter 0.6, 研 赵敏 neutral uncovered; 咨 周教授
  neutral uncovered, 咨 张翠山 supporter 0.4; 用 孙伟 opponent uncovered. Our strengths
  with what the demo's interactions earned at the tests' strength clock (2026-12-01,
  docs/ANALYTICS.md "Earned strength"): 李娜 0.9352, 陈刚 0.7408, 张翠山 0.4525.
- Competitors: YY银行 (shortlisted) covers 李娜 0.95 and 王志强 0.6 (champion); ZZ租赁 (not
  shortlisted) covers 孙伟 0.5.
- Recorded: Q1 YES (10-21), Q2 NO (09-20) then YES (11-06), Q7 YES (11-06), Q12 YES (05-10,
  205 days before asOf: stale).
"""

from __future__ import annotations

from typing import Any

from tests.conftest import Database, GraphQLClient, data_of, error_codes

ASSESS = """
query ($opp: ID!, $asOf: Date) {
  opportunityAssessment(opportunityId: $opp, asOf: $asOf) {
    opportunityId accountId stage asOf staleAfterDays competitiveStrategy strategyRationale
    headings { heading title verdict
      questions { number question answer source reason stale
        recorded { id answer answeredBy } history { id answer } } }
    gaps { question message personIds }
    deciders { personId role ourStrength competitorStrength competitor { id } competitorChampion
               closer }
    competitors { competitor { id name } shortlisted holds { personId strength champion } }
    decidersHeldByCompetitors
  }
}
"""

FUNNEL = """
query ($account: ID, $team: ID, $subs: Boolean, $asOf: Date) {
  funnel(accountId: $account, teamId: $team, includeSubsidiaries: $subs, asOf: $asOf) {
    openCount openAmount weightedAmount
    stages { stage probability count amount weightedAmount
      opportunities { id stage amount weightedAmount readyToAdvance
        criteria { code status source detail } } }
  }
}
"""


def questions(card: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {q["number"]: q for h in card["headings"] for q in h["questions"]}


async def assess(gql: GraphQLClient, opp: str, as_of: str = "2026-12-01", **kw: Any) -> Any:
    body = await gql(ASSESS, {"opp": opp, "asOf": as_of}, **kw)
    return data_of(body)["opportunityAssessment"]


async def test_cimc_answers_its_14_questions_with_sources(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    card = await assess(gql, "opp-cimc-overseas")
    qs = questions(card)
    assert sorted(qs) == list(range(1, 15))
    got = {n: (q["answer"], q["source"]) for n, q in qs.items()}
    assert got == {
        1: ("YES", "TEAM"),
        2: ("YES", "TEAM"),  # the later of its two answers
        3: ("YES", "GRAPH"),  # 审 李娜 supports, nobody in management against
        4: ("YES", "GRAPH"),  # close date ahead
        5: ("UNKNOWN", "NONE"),
        6: ("YES", "GRAPH"),  # QUALIFIED: we have qualified
        7: ("YES", "TEAM"),
        8: ("UNKNOWN", "NONE"),
        9: ("YES", "GRAPH"),  # 李娜 (审) supports us
        10: ("NO", "GRAPH"),  # 王志强 is uncovered
        11: ("UNKNOWN", "NONE"),
        12: ("UNKNOWN", "TEAM"),  # stale
        13: ("YES", "GRAPH"),  # STRATEGIC
        14: ("UNKNOWN", "NONE"),
    }
    assert qs[12]["stale"] and qs[12]["recorded"]["answeredBy"] == "rep-ma-jun"
    assert [h["id"] for h in qs[2]["history"]] == ["tas-cimc-2a", "tas-cimc-2b"]
    assert qs[2]["recorded"]["id"] == "tas-cimc-2b"
    assert qs[4]["reason"] == "Close date 2027-03-31, in 120 days."
    assert "李娜" in qs[3]["reason"]
    verdicts = {h["heading"]: h["verdict"] for h in card["headings"]}
    assert verdicts == {
        "REAL": "YES",
        "COMPETITIVE": "UNKNOWN",
        "WINNABLE": "NO",
        "WORTH": "UNKNOWN",
    }
    assert card["headings"][0]["title"] == "Is there a real opportunity?"
    assert card["competitiveStrategy"] == "FLANKING"
    messages = [g["message"] for g in card["gaps"]]
    assert "Nobody has confirmed the selection criteria with 决 王志强." in messages
    assert "Nobody has confirmed our unique business value with 决 王志强." in messages
    assert any(m.startswith("Confirm the short-term margin again") for m in messages)
    assert "YY银行 holds 决 王志强 (0.60, their champion); nobody on our team covers them." in (
        messages
    )
    assert "YY银行 is closer to 审 李娜 (0.95) than we are (0.94)." in messages
    assert not [g for g in card["gaps"] if g["question"] in (1, 2, 3, 4, 6, 7, 9, 13)]


async def test_cimc_deciders_and_competitors(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    card = await assess(gql, "opp-cimc-overseas")
    # 决 first, then 审 研 咨 用; by name (code points: 赵 before 陈, 周 before 张).
    rows = [
        (d["personId"], d["role"], d["ourStrength"], d["competitorStrength"], d["closer"])
        for d in card["deciders"]
    ]
    assert rows == [
        ("p-wang-zhiqiang", "DECISION_MAKER", None, 0.6, "COMPETITOR"),
        ("p-li-na", "APPROVER", 0.9352, 0.95, "COMPETITOR"),
        ("p-zhao-min", "EVALUATOR", None, None, "NOBODY"),
        ("p-chen-gang", "EVALUATOR", 0.7408, None, "US"),
        ("p-zhou-prof", "INFLUENCER", None, None, "NOBODY"),
        ("p-zhang-cuishan", "INFLUENCER", 0.4525, None, "US"),
        ("p-sun-wei", "USER", None, 0.5, "COMPETITOR"),
    ]
    assert card["decidersHeldByCompetitors"] == ["p-wang-zhiqiang"]
    comps = {c["competitor"]["id"]: c for c in card["competitors"]}
    assert comps["comp-yy-bank"]["shortlisted"] is True
    assert [h["personId"] for h in comps["comp-yy-bank"]["holds"]] == [
        "p-li-na",
        "p-wang-zhiqiang",
    ]
    # ZZ租赁 is closer to 用 孙伟 only: no decider.
    assert comps["comp-zz-leasing"]["holds"] == []


async def test_answers_in_chinese(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    card = await assess(gql, "opp-cimc-overseas", headers={"Accept-Language": "zh-CN"})
    assert card["headings"][0]["title"] == "是否有真实商机?"
    qs = questions(card)
    assert qs[5]["question"] == "客户筛选供应商的标准已确定了吗?"
    assert qs[4]["reason"] == "截止日期2027-03-31,还有120天。"
    messages = [g["message"] for g in card["gaps"]]
    assert "尚无人与决 王志强确认供应商筛选标准。" in messages


async def test_as_of_before_the_answers(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    # On 2026-10-01 only Q2's NO (09-20) and Q12's YES (05-10, 144 days: stale) existed.
    card = await assess(gql, "opp-cimc-overseas", "2026-10-01")
    qs = questions(card)
    assert (qs[1]["answer"], qs[1]["source"]) == ("UNKNOWN", "NONE")
    assert (qs[2]["answer"], qs[2]["source"]) == ("NO", "TEAM")
    assert [h["id"] for h in qs[2]["history"]] == ["tas-cimc-2a"]
    assert {h["heading"]: h["verdict"] for h in card["headings"]}["REAL"] == "NO"


async def test_bad_input(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    body = await gql(ASSESS, {"opp": "opp-nope"})
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["extensions"]["field"] == "opportunityId"
    body = await gql(ASSESS, {"opp": "opp-cimc-overseas", "asOf": "0001-01-01"})
    assert error_codes(body) == ["INVALID_INPUT"]
    body = await gql(FUNNEL, {})
    assert error_codes(body) == ["INVALID_INPUT"]
    body = await gql(FUNNEL, {"team": "team-nope"})
    assert error_codes(body) == ["NOT_FOUND"]


async def test_demo_funnel_by_account_and_team(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    for variables in ({"account": "org-cimc"}, {"team": "team-cimc"}):
        f = data_of(await gql(FUNNEL, {**variables, "asOf": "2026-12-01"}))["funnel"]
        # Open: opp-cimc-overseas only (the 2025 annuity is LOST): 120M at 50%.
        assert (f["openCount"], f["openAmount"], f["weightedAmount"]) == (1, 120e6, 60e6)
        stages = {s["stage"]: s for s in f["stages"]}
        assert list(stages) == ["IDENTIFIED", "CONTACTED", "QUALIFIED", "DEVELOPED", "COMMITTED"]
        assert stages["QUALIFIED"]["count"] == 1
        (o,) = stages["QUALIFIED"]["opportunities"]
        # Q1: 决 王志强; Q2: a visit about it; Q3: 审 李娜 supports.
        assert [(c["code"], c["status"]) for c in o["criteria"]] == [
            ("Q1", "MET"),
            ("Q2", "MET"),
            ("Q3", "MET"),
        ]
        assert o["readyToAdvance"] is True


COMPETITION = """
query {
  keyDeciders(accountId: "org-cimc", limit: 20) {
    person { id } competition { closer holds { competitor { id } strength champion } }
  }
  orgChart(organizationId: "org-cimc") { nodes { id competition { closer } } }
}
"""


async def test_org_chart_and_key_deciders_show_who_is_closer(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    data = data_of(await gql(COMPETITION))
    ranked = {
        k["person"]["id"]: (k["competition"]["closer"], k["competition"]["holds"])
        for k in data["keyDeciders"]
    }
    # 王志强: only YY银行 (0.6, champion); 李娜: YY银行 0.95 against our 0.9; 陈刚: we alone
    # (0.6); 赵敏: nobody; 孙伟: ZZ租赁 0.5, we none.
    assert ranked["p-wang-zhiqiang"] == (
        "COMPETITOR",
        [{"competitor": {"id": "comp-yy-bank"}, "strength": 0.6, "champion": True}],
    )
    assert ranked["p-li-na"][0] == "COMPETITOR"
    assert ranked["p-chen-gang"] == ("US", [])
    assert ranked["p-zhao-min"] == ("NOBODY", [])
    assert ranked["p-sun-wei"][0] == "COMPETITOR"
    chart = {n["id"]: n["competition"]["closer"] for n in data["orgChart"]["nodes"]}
    assert chart["p-wang-zhiqiang"] == "COMPETITOR"
    assert chart["p-zhang-cuishan"] == "US"

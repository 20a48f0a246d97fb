"""keyDeciders and decisionAssessment over GraphQL, on the demo data and on planted graphs.

The expected scores are derived from the scoring model (docs/ANALYTICS.md):
score = 0.40 role + 0.30 formal + 0.30 informal, with
role = 0.8 base (DM 1, APPROVER 0.7, EVALUATOR 0.45, INFLUENCER 0.35, USER 0.1)
       + 0.2 level (HIGH 1, MEDIUM 0.5, LOW 0, unknown with a role 0.5),
formal = 0.4 / (1 + managers above) + 0.6 x people below / (internal people - 1),
informal = min-max normalised weighted PageRank on the listening graph x min(1, listeners'
strengths).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Database, GraphQLClient, data_of, error_codes

DECIDERS = """
query ($account: ID, $opp: ID, $subs: Boolean, $limit: Int) {
  keyDeciders(accountId: $account, opportunityId: $opp, includeSubsidiaries: $subs,
              limit: $limit) {
    rank score explanation external role attitude roleSource level directReports peopleBelow
    managerIds listenedToBy listensTo title organizationId
    person { id name }
    parts { component value weight contribution detail }
    coverage { rep { id name } strength kind }
  }
}
"""

ASSESSMENT = """
query ($account: ID, $opp: ID, $subs: Boolean) {
  decisionAssessment(accountId: $account, opportunityId: $opp, includeSubsidiaries: $subs) {
    accountId accountName opportunityId
    decisionLayerSupportsUs relationshipsAtEveryLevel supportAnswer coverageAnswer
    decisionLayer { reason decider { person { id } rank attitude coverage { strength } } }
    supporters { person { id } }
    opponents { person { id } }
    levels { level people covered coveredShare strongest averageStrength uncoveredIds }
    unplacedPeople unplacedCovered
    risks { kind severity message personId level viaIds }
  }
}
"""


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["person"]["id"] for r in rows]


async def test_demo_account_ranking_and_explanations(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    rows = data_of(await gql(DECIDERS, {"account": "org-cimc"}))["keyDeciders"]
    # 中集集团's people (陈刚 works for its overseas department and is marked on the
    # account) and the outside adviser 周教授, who influences the CEO and 陈刚.
    # 王志强: DM HIGH -> role 1.0; top of 5 people below -> formal 1.0; nobody listens to
    #   him -> 0.40 + 0.30 = 0.70.
    # 李娜: APPROVER HIGH -> 0.56 + 0.2 = 0.76; one manager above, 1 of 5 below -> 0.2 + 0.12;
    #   listening graph (listener -> listened): 王->周 .8, 王->李 .7, 陈->周 .7, 赵->李 .6,
    #   孙->张 .5. PageRank: the four nobody listens to share the base b; 周 = b(1 + .85 x
    #   (8/15 + 1)), 李 = b(1 + .85 x (7/15 + 1)), 张 = b(1 + .85) -> normalised 周 1,
    #   李 (22/15)/(23/15) = 22/23, 张 15/23; listeners' strengths 1.5, 1.3, 0.5 ->
    #   informal 周 1, 李 22/23 = .956522, 张 15/23 x .5 = .326087.
    #   李 = .304 + .096 + .3 x 22/23 = .686957.
    # 张翠山: INFLUENCER MEDIUM .28 + .1 = .38; one manager above, 2 below -> .2 + .24 = .44 ->
    #   .152 + .132 + .097826 = .381826.
    # 周教授: no role on the account, external (no formal) -> .30 x 1 = .30.
    # 陈刚: EVALUATOR MEDIUM .46 -> .184; two managers above, nobody below -> .4/3 -> + .04.
    # 赵敏: EVALUATOR LOW .36 -> .144 + .04 = .184. 孙伟: USER LOW .08 -> .032 + .04 = .072.
    assert ids(rows) == [
        "p-wang-zhiqiang",
        "p-li-na",
        "p-zhang-cuishan",
        "p-zhou-prof",
        "p-chen-gang",
        "p-zhao-min",
        "p-sun-wei",
    ]
    assert [r["score"] for r in rows] == pytest.approx(
        [0.70, 0.686957, 0.381826, 0.30, 0.224, 0.184, 0.072], abs=1e-6
    )
    assert [r["rank"] for r in rows] == list(range(1, 8))
    wang, li, zhang, zhou, chen = rows[:5]
    assert wang["explanation"] == (
        "decides (high influence), is neutral towards us; top of the reporting line, "
        "two direct reports, 5 people below; listens to 周教授 and 李娜"
    )
    assert li["explanation"] == (
        "approves (high influence), supports us; reports to 王志强 (首席执行官 CEO), "
        "one direct report; 王志强 (decision maker) and 赵敏 (evaluator) listen to her"
    )
    assert zhou["external"] is True and zhou["role"] is None
    assert zhou["explanation"] == (
        "no declared role; outside the account (院长, 交大港口装备研究院); "
        "王志强 (decision maker) and 陈刚 (evaluator) listen to him"
    )
    assert chen["external"] is False and chen["title"] == "海外项目总监"
    assert chen["organizationId"] == "org-cimc-overseas"
    # The parts add up to the score and carry their own facts.
    for row in rows:
        assert sum(p["contribution"] for p in row["parts"]) == pytest.approx(row["score"], abs=3e-6)
    li_parts = {p["component"]: p for p in li["parts"]}
    assert li_parts["ROLE"]["value"] == pytest.approx(0.76)
    assert li_parts["FORMAL"]["value"] == pytest.approx(0.32)
    assert li_parts["INFORMAL"]["value"] == pytest.approx(22 / 23, abs=1e-6)
    assert li_parts["INFORMAL"]["weight"] == 0.30
    assert li_parts["INFORMAL"]["detail"] == "2 listeners, strengths adding up to 1.30"
    assert li["listenedToBy"] == ["p-wang-zhiqiang", "p-zhao-min"]
    assert wang["listensTo"] == ["p-zhou-prof", "p-li-na"]
    assert wang["level"] == 1 and wang["peopleBelow"] == 5 and wang["directReports"] == 2
    assert [r["level"] for r in rows] == [1, 2, 2, None, 3, 3, 3]
    assert li["managerIds"] == ["p-wang-zhiqiang"]
    # Declared 0.9, with 刘洋's visit of 2026-10-20 (41.9 days before the tests' strength
    # clock, 2026-12-01; one-way: only we reached out): A = 0.75 x 2^(-41.92/90) = 0.5431,
    # earned 0.3519, 1 - 0.1 x 0.6481 = 0.9352 (docs/ANALYTICS.md, "Earned strength").
    assert li["coverage"] == [
        {"rep": {"id": "rep-liu-yang", "name": "刘洋"}, "strength": 0.9352, "kind": "PERSONAL"}
    ]
    assert wang["coverage"] == []
    assert zhang["coverage"][0]["rep"]["id"] == "rep-huang-lei"


async def test_demo_opportunity_buying_centre(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    rows = data_of(await gql(DECIDERS, {"opp": "opp-cimc-overseas", "limit": 4}))["keyDeciders"]
    # Same people and structure as the account; 周教授 is marked INFLUENCER HIGH on this
    # opportunity: role .8 x .35 + .2 = .48 -> .192 + .30 = .492, above 张翠山 (.381826),
    # whose marker comes from the account.
    assert ids(rows) == ["p-wang-zhiqiang", "p-li-na", "p-zhou-prof", "p-zhang-cuishan"]
    assert [r["score"] for r in rows] == pytest.approx([0.70, 0.686957, 0.492, 0.381826], abs=1e-6)
    assert [r["roleSource"] for r in rows] == [
        "OPPORTUNITY",
        "OPPORTUNITY",
        "OPPORTUNITY",
        "ACCOUNT",
    ]
    assert rows[3]["explanation"].startswith(
        "is consulted (medium influence) [marked on the account], supports us; "
    )


async def test_include_subsidiaries_brings_the_branches(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    group = data_of(await gql(DECIDERS, {"account": "org-huasheng"}))["keyDeciders"]
    # Without subsidiaries: 何静 (group CEO, DM) and 张立 (marked on the group, works for
    # 深圳总公司) only. 2 internal people: 何静 formal .4 + .6 x 1/1 = 1 -> .70;
    # 张立 APPROVER HIGH .76 -> .304, one manager above, nobody below in scope -> .2 -> .06.
    assert ids(group) == ["p-he-jing", "p-zhang-li"]
    assert [r["score"] for r in group] == pytest.approx([0.70, 0.364], abs=1e-6)
    whole = data_of(await gql(DECIDERS, {"account": "org-huasheng", "subs": True}))["keyDeciders"]
    # With the head office and branches: 4 people; 张立 now has 2 of 3 below:
    # .2 + .6 x 2/3 = .6 -> .304 + .18 = .484. The two branch heads tie (two managers above,
    # .4/3 x .3 = .04) and are ordered by id.
    assert ids(whole) == ["p-he-jing", "p-zhang-li", "p-huang-fang", "p-wu-lei"]
    assert [r["score"] for r in whole] == pytest.approx([0.70, 0.484, 0.04, 0.04], abs=1e-6)


async def test_demo_assessment_answers_tas_9_and_10(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    a = data_of(await gql(ASSESSMENT, {"account": "org-cimc"}))["decisionAssessment"]
    assert a["accountId"] == "org-cimc" and a["accountName"] == "中集集团"
    # Decision layer: the declared DM and approver, plus the top three of the ranking.
    layer = [(x["decider"]["person"]["id"], x["reason"]) for x in a["decisionLayer"]]
    assert layer == [
        ("p-wang-zhiqiang", "declared decision maker, ranked #1 by decision power"),
        ("p-li-na", "declared approver, ranked #2 by decision power"),
        ("p-zhang-cuishan", "ranked #3 by decision power"),
    ]
    # TAS 9: 李娜 and 张翠山 support us.
    assert a["decisionLayerSupportsUs"] is True
    assert ids(a["supporters"]) == ["p-li-na", "p-zhang-cuishan"]
    assert a["opponents"] == []
    assert a["supportAnswer"] == (
        "Yes: 李娜 (approver, rank 2) and 张翠山 (adviser, rank 3) support us."
    )
    # TAS 10: nobody covers the CEO, who is alone at the top level.
    assert a["relationshipsAtEveryLevel"] is False
    # Coverage strengths earned from the demo's interactions at the tests' strength clock
    # (2026-12-01; docs/ANALYTICS.md "Earned strength"): 李娜 0.9 -> 0.9352 (a visit 41.9
    # days before, one-way), 张翠山 0.4 -> 0.4525 (黄蕾's service contact 110.9 days before,
    # she reached out: A = 0.75 x 0.3 x 2^(-110.88/90) = 0.0958, 1 - 0.6 x 0.9126), 陈刚
    # 0.6 -> 0.7408 (the same visit as 李娜: 1 - 0.4 x 0.6481).
    assert a["levels"] == [
        {"level": 1, "people": 1, "covered": 0, "coveredShare": 0.0, "strongest": None,
         "averageStrength": None, "uncoveredIds": ["p-wang-zhiqiang"]},
        {"level": 2, "people": 2, "covered": 2, "coveredShare": 1.0, "strongest": 0.9352,
         "averageStrength": pytest.approx((0.9352 + 0.4525) / 2), "uncoveredIds": []},
        {"level": 3, "people": 3, "covered": 1, "coveredShare": pytest.approx(1 / 3),
         "strongest": 0.7408, "averageStrength": 0.7408,
         "uncoveredIds": ["p-zhao-min", "p-sun-wei"]},
    ]  # fmt: skip
    kinds = [(r["kind"], r["severity"], r["personId"], r["level"]) for r in a["risks"]]
    assert kinds == [
        ("UNCOVERED_DECIDER", "HIGH", "p-wang-zhiqiang", 1),
        ("LEVEL_WITHOUT_COVERAGE", "MEDIUM", None, 1),
    ]
    # The way in: 王志强 listens to 李娜 (covered by 刘洋 0.9352: .7 x .9352 = .655) and
    # manages 张翠山 (covered by 黄蕾 0.4525: .7 x .4525 = .317); shown to one decimal.
    assert a["risks"][0]["viaIds"] == ["p-li-na", "p-zhang-cuishan"]
    assert "李娜 (王志强 listens to her; covered by 刘洋, 0.9)" in a["risks"][0]["message"]
    assert a["coverageAnswer"] == (
        "No: no coverage at level 1; not covered: 王志强 (decision maker, rank 1)."
    )


async def test_demo_opportunity_assessment_flags_the_adviser(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    a = data_of(await gql(ASSESSMENT, {"opp": "opp-cimc-overseas"}))["decisionAssessment"]
    assert a["opportunityId"] == "opp-cimc-overseas" and a["accountId"] == "org-cimc"
    # 周教授 is third on this opportunity, so in the decision layer, and nobody covers him.
    assert [x["decider"]["person"]["id"] for x in a["decisionLayer"]] == [
        "p-wang-zhiqiang",
        "p-li-na",
        "p-zhou-prof",
    ]
    uncovered = [
        (r["personId"], r["viaIds"]) for r in a["risks"] if r["kind"] == "UNCOVERED_DECIDER"
    ]
    # A way in to the adviser: 陈刚 listens to him (.7) and 刘洋 covers 陈刚 (0.6 declared,
    # 0.7408 with the visit of 2026-10-20, shown to one decimal).
    assert uncovered == [
        ("p-wang-zhiqiang", ["p-li-na", "p-zhang-cuishan"]),
        ("p-zhou-prof", ["p-chen-gang"]),
    ]
    zhou_risk = next(r for r in a["risks"] if r["personId"] == "p-zhou-prof")
    assert "陈刚 (listens to 周教授; covered by 刘洋, 0.7)" in zhou_risk["message"]
    # Levels count the account's own people only; the adviser is not in the hierarchy.
    assert [lv["people"] for lv in a["levels"]] == [1, 2, 3]


async def test_one_database_round_trip_per_field(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    for query, variables in [
        (DECIDERS, {"account": "org-cimc", "subs": True}),
        (DECIDERS, {"opp": "opp-cimc-overseas"}),
        (ASSESSMENT, {"account": "org-cimc"}),
    ]:
        body = await gql(query, variables)
        data_of(body)
        assert body["extensions"]["roundTrips"] == 1


BOTH = """
query ($account: ID, $other: ID) {
  keyDeciders(accountId: $account, limit: 3) { rank score explanation person { id } }
  decisionAssessment(accountId: $account) { supportAnswer coverageAnswer risks { message } }
  other: keyDeciders(accountId: $other, limit: 3) { rank score person { id } }
}
"""


async def test_one_round_trip_for_both_fields_on_one_scope(
    db: Database, gql: GraphQLClient
) -> None:
    # keyDeciders and decisionAssessment of the same account in one request read it once
    # (a per-request cache) and answer exactly as when asked apart; another account is read
    # by its own query.
    await db.demo()
    body = await gql(BOTH, {"account": "org-cimc", "other": "org-huasheng"})
    both = data_of(body)
    assert body["extensions"]["roundTrips"] == 2
    alone = data_of(
        await gql(
            """query ($a: ID) { keyDeciders(accountId: $a, limit: 3)
                 { rank score explanation person { id } } }""",
            {"a": "org-cimc"},
        )
    )
    assessed = data_of(
        await gql(
            """query ($a: ID) { decisionAssessment(accountId: $a)
                 { supportAnswer coverageAnswer risks { message } } }""",
            {"a": "org-cimc"},
        )
    )
    assert both["keyDeciders"] == alone["keyDeciders"]
    assert both["decisionAssessment"] == assessed["decisionAssessment"]
    assert ids(both["other"]) != ids(both["keyDeciders"])


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({}, "INVALID_INPUT", "accountId"),
        ({"account": "org-cimc", "opp": "opp-cimc-overseas"}, "INVALID_INPUT", "opportunityId"),
        ({"account": "no-such-org"}, "NOT_FOUND", "accountId"),
        ({"opp": "no-such-opp"}, "NOT_FOUND", "opportunityId"),
        ({"account": "org-cimc", "limit": 0}, "INVALID_INPUT", "limit"),
        ({"account": "org-cimc", "limit": 101}, "INVALID_INPUT", "limit"),
        ({"account": " "}, "INVALID_INPUT", "accountId"),
    ],
)
async def test_bad_input_is_named(
    db: Database, gql: GraphQLClient, variables: dict[str, Any], code: str, field: str
) -> None:
    await db.demo()
    body = await gql(DECIDERS, variables)
    assert body["data"] == {"keyDeciders": None}
    assert error_codes(body) == [code]
    assert body["errors"][0]["extensions"]["field"] == field


async def test_unknown_account_in_assessment_is_not_found(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    body = await gql(ASSESSMENT, {"account": "no-such-org"})
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["extensions"]["value"] == "no-such-org"


def planted_account() -> dict[str, Any]:
    """A 9-person account with a hidden decider and an isolated declared decision maker.

    ceo <- vp1 <- (s1 EVALUATOR, s2 EVALUATOR, s3); ceo <- vp2 <- (h, s4); dm isolated
    (DECISION_MAKER, HIGH, no reporting line, nobody listens). Everybody else listens to h
    (strength 0.7); h has no role. Our rep covers s1 and vp1 only.
    """
    people = ["ceo", "vp1", "vp2", "s1", "s2", "s3", "s4", "h", "dm"]
    reports = {"vp1": "ceo", "vp2": "ceo", "s1": "vp1", "s2": "vp1", "s3": "vp1", "h": "vp2"}
    reports["s4"] = "vp2"
    return {
        "organizations": [{"id": "acme", "name": "Acme"}],
        "people": [{"id": p, "name": p.upper(), "gender": "FEMALE"} for p in people],
        "reps": [{"id": "rep", "name": "Rep"}],
        "employment": [{"personId": p, "organizationId": "acme", "title": p} for p in people],
        "reporting": [{"personId": p, "managerId": mgr} for p, mgr in reports.items()],
        "buyingRoles": [
            {"personId": "dm", "accountId": "acme", "role": "DECISION_MAKER", "influence": "HIGH"},
            {"personId": "s1", "accountId": "acme", "role": "EVALUATOR", "influence": "MEDIUM"},
            {"personId": "s2", "accountId": "acme", "role": "EVALUATOR", "influence": "MEDIUM"},
        ],
        "influence": [
            {"fromId": "h", "toId": p, "strength": 0.7}
            for p in ["ceo", "vp1", "vp2", "s1", "s2", "s3", "s4"]
        ],
        "coverage": [
            {"repId": "rep", "personId": "s1", "strength": 0.8},
            {"repId": "rep", "personId": "vp1", "strength": 0.5},
        ],
    }


async def test_planted_hidden_and_isolated_deciders(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load(planted_account(), tmp_path)
    rows = data_of(await gql(DECIDERS, {"account": "acme"}))["keyDeciders"]
    # 9 internal people. dm: role 1.0 -> .40, nothing else. h: PageRank takes all the
    # listening (informal 1, strengths 4.9) -> .30, two managers above -> + .3 x .4/3 = .34.
    # ceo: formal .4 + .6 x 7/8 = .925 -> .2775. s1, s2: evaluators .46 -> .184 + .04 = .224
    # (tie, by id). vp1: .4 x .5 + .6 x 3/8 = .425 -> .1275; vp2: .2 + .6 x 2/8 = .35 -> .105.
    assert ids(rows)[:7] == ["dm", "h", "ceo", "s1", "s2", "vp1", "vp2"]
    assert [r["score"] for r in rows[:7]] == pytest.approx(
        [0.40, 0.34, 0.2775, 0.224, 0.224, 0.1275, 0.105], abs=1e-6
    )
    assert rows[1]["explanation"] == (
        "no declared role; reports to VP2 (vp2); two evaluators and five others listen to her"
    )
    a = data_of(await gql(ASSESSMENT, {"account": "acme"}))["decisionAssessment"]
    # Decision layer dm, h, ceo; nobody has an attitude, nobody there is covered. Level 1
    # (ceo) has no coverage, level 2 has vp1 covered, level 3 has s1.
    assert [x["decider"]["person"]["id"] for x in a["decisionLayer"]] == ["dm", "h", "ceo"]
    assert a["decisionLayerSupportsUs"] is False
    assert a["relationshipsAtEveryLevel"] is False
    risks = [(r["kind"], r["personId"], r["level"]) for r in a["risks"]]
    assert risks == [
        ("NO_SUPPORTER_IN_DECISION_LAYER", None, None),
        ("UNCOVERED_DECIDER", "dm", None),
        ("UNCOVERED_DECIDER", "h", 3),
        ("UNCOVERED_DECIDER", "ceo", 1),
        ("LEVEL_WITHOUT_COVERAGE", None, 1),
    ]
    # A way in to the CEO: vp1 reports to her and is covered (.7 x .5).
    assert a["risks"][3]["viaIds"] == ["vp1"]
    assert [(lv["level"], lv["people"], lv["covered"]) for lv in a["levels"]] == [
        (1, 1, 0),
        (2, 2, 1),
        (3, 5, 1),
    ]
    assert a["unplacedPeople"] == 1 and a["unplacedCovered"] == 0


PERSON_DETAIL = """
fragment Details on Person { occupation city aliases version phone }
query ($account: ID) {
  keyDeciders(accountId: $account, limit: 5) { rank person { id name ...Details } }
  decisionAssessment(accountId: $account) {
    decisionLayer { decider { person { id ... on Person { occupation } } } }
    supporters { person { id city } }
  }
}
"""

PARTY = """
query ($id: ID!) {
  party(id: $id) { id name ... on Person { occupation city aliases version phone } }
}
"""


async def test_person_details_are_read_only_when_asked_for_and_then_complete(
    db: Database, gql: GraphQLClient
) -> None:
    # The scope query reads id, name and gender of the account's people; a request asking a
    # returned person's other fields (here through a fragment and an inline fragment) gets
    # them from one more small query per field, the same values as the 360° view's.
    await db.demo()
    body = await gql(PERSON_DETAIL, {"account": "org-cimc"})
    data = data_of(body)
    assert body["extensions"]["roundTrips"] == 3  # one scope query, one details query each
    people = [k["person"] for k in data["keyDeciders"]]
    assert people and all(p["version"] >= 1 for p in people)
    for person in people:
        view = data_of(await gql(PARTY, {"id": person["id"]}))["party"]
        assert person == view
    layer = [m["decider"]["person"] for m in data["decisionAssessment"]["decisionLayer"]]
    assert layer and any(p["occupation"] for p in layer)
    wang = next(p for p in people if p["id"] == "p-wang-zhiqiang")
    assert (wang["occupation"], wang["city"]) == ("CEO", "深圳")

    # Only id and name: the scope query alone, and the names the same.
    slim = await gql(
        "query ($a: ID) { keyDeciders(accountId: $a, limit: 5) { person { id name } } }",
        {"a": "org-cimc"},
    )
    assert slim["extensions"]["roundTrips"] == 1
    assert [k["person"] for k in data_of(slim)["keyDeciders"]] == [
        {"id": p["id"], "name": p["name"]} for p in people
    ]

"""recordJobChange (issue 14.3) on the demo data: 张立 (p-zhang-li), CFO of 华盛深圳总公司
(org-huasheng-sz, since 2015-01-01), moves to 中集集团 (org-cimc) on 2025-06-01.

Expected impact, derived by hand from seed/demo.json:
- The old group: org-huasheng-sz, its parent 华盛金融集团 org-huasheng and its branches
  org-huasheng-bj, org-huasheng-sh. 张立's only buying role there: org-huasheng, APPROVER
  (审), SUPPORTER, HIGH; the account's open opportunity is opp-huasheng-fx (CONTACTED).
- Gaps on org-huasheng: the only other role there is 何静's (DECISION_MAKER, NEUTRAL): no
  approver left (NO_ONE_LEFT APPROVER) and no supporter left (NO_SUPPORTER_LEFT).
- Reporting lines closed: 张立 -> 何静 (manager), 黄芳 -> 张立 and 吴磊 -> 张立 (direct
  reports); none of them has a personal link with 张立. 钱波 (rep-qian-bo) covers 张立 and
  also 吴磊 directly: the introductions lost are 黄芳 and 何静 for rep-qian-bo, 吴磊 for no
  one.
- Kept: the SPOUSE link to 刘慧, the acquaintance with 张翠山, 钱波's coverage (0.8 PERSONAL).
- New doors at 中集 (org-cimc and its unit org-cimc-overseas): the people employed there
  with a buying role, by role: 王志强 (DECISION_MAKER on org-cimc and on opp-cimc-overseas),
  李娜 (APPROVER, both), 陈刚 (EVALUATOR on org-cimc, then on the opportunity), 赵敏
  (EVALUATOR, org-cimc), 张翠山 (INFLUENCER, known to 张立), 孙伟 (USER). 周教授's role on
  the opportunity is not a door: he works at the institute. Open opportunities:
  opp-cimc-overseas only (opp-cimc-annuity-2025 is LOST).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from graph_api.bulk.load import import_path
from graph_api.generate.dataset import write_dataset
from tests.conftest import Database, GraphQLClient, LiveServer, data_of, error_codes
from tests.principals import KEYS, as_key

RECORD = """mutation ($input: RecordJobChangeInput!) {
  recordJobChange(input: $input) {
    personId fromOrganizationId toOrganizationId date title department version
    closedReportingLines closedBuyingRoles
    impact {
      lostRoles { target targetId accountId role attitude influence openOpportunityIds }
      gaps { targetId reason role }
      lostIntroductions { personId relation repIds }
      newPeople { personId target targetId role known }
      newOpportunities { id stage }
      coverage { repId strength kind }
    }
  }
}"""

JOB_CHANGES = """{ jobChanges(%s) {
  edges { node { personId fromOrganizationId toOrganizationId date title previousTitle } }
  pageInfo { hasNextPage } } }"""

MOVE = {
    "personId": "p-zhang-li",
    "toOrganizationId": "org-cimc",
    "title": "副总裁",
    "department": "财务部",
    "date": "2025-06-01",
}

LINKS = """
MATCH (p:Person {id: 'p-zhang-li'})-[r]-(x)
RETURN type(r) AS t, x.id AS other, toString(r.validFrom) AS validFrom,
       toString(r.validTo) AS validTo
ORDER BY t, other
"""


async def links(db: Database) -> list[tuple[Any, ...]]:
    rows = await db.store.read(LINKS)
    return [(r["t"], r["other"], r["validFrom"], r["validTo"]) for r in rows]


async def test_zhang_li_leaves_shenzhen_for_cimc(db: Database, production: LiveServer) -> None:
    db.dirty()
    await db.demo()
    db.dirty()
    manager = as_key(production.url, "demo-manager")  # 马骏 manages both account teams
    answer = data_of(await manager(RECORD, {"input": MOVE}))["recordJobChange"]
    impact = answer.pop("impact")
    assert answer == {
        "personId": "p-zhang-li",
        "fromOrganizationId": "org-huasheng-sz",
        "toOrganizationId": "org-cimc",
        "date": "2025-06-01",
        "title": "副总裁",
        "department": "财务部",
        "version": 1,
        "closedReportingLines": 3,
        "closedBuyingRoles": 1,
    }
    assert impact["lostRoles"] == [
        {
            "target": "ACCOUNT",
            "targetId": "org-huasheng",
            "accountId": "org-huasheng",
            "role": "APPROVER",
            "attitude": "SUPPORTER",
            "influence": "HIGH",
            "openOpportunityIds": ["opp-huasheng-fx"],
        }
    ]
    assert impact["gaps"] == [
        {"targetId": "org-huasheng", "reason": "NO_ONE_LEFT", "role": "APPROVER"},
        {"targetId": "org-huasheng", "reason": "NO_SUPPORTER_LEFT", "role": None},
    ]
    assert impact["lostIntroductions"] == [
        {"personId": "p-huang-fang", "relation": "DIRECT_REPORT", "repIds": ["rep-qian-bo"]},
        {"personId": "p-wu-lei", "relation": "DIRECT_REPORT", "repIds": []},
        {"personId": "p-he-jing", "relation": "MANAGER", "repIds": ["rep-qian-bo"]},
    ]
    assert [
        (p["personId"], p["target"], p["targetId"], p["role"], p["known"])
        for p in impact["newPeople"]
    ] == [
        ("p-wang-zhiqiang", "ACCOUNT", "org-cimc", "DECISION_MAKER", False),
        ("p-wang-zhiqiang", "OPPORTUNITY", "opp-cimc-overseas", "DECISION_MAKER", False),
        ("p-li-na", "ACCOUNT", "org-cimc", "APPROVER", False),
        ("p-li-na", "OPPORTUNITY", "opp-cimc-overseas", "APPROVER", False),
        ("p-chen-gang", "ACCOUNT", "org-cimc", "EVALUATOR", False),
        ("p-zhao-min", "ACCOUNT", "org-cimc", "EVALUATOR", False),
        ("p-chen-gang", "OPPORTUNITY", "opp-cimc-overseas", "EVALUATOR", False),
        ("p-zhang-cuishan", "ACCOUNT", "org-cimc", "INFLUENCER", True),
        ("p-sun-wei", "ACCOUNT", "org-cimc", "USER", False),
    ]
    assert impact["newOpportunities"] == [{"id": "opp-cimc-overseas", "stage": "QUALIFIED"}]
    assert impact["coverage"] == [{"repId": "rep-qian-bo", "strength": 0.8, "kind": "PERSONAL"}]

    # The graph: the old job's links closed on the day, the personal ones kept, the new job.
    got = await links(db)
    assert [x for x in got if x[0] in ("WORKS_FOR", "WAS_WORKS_FOR")] == [
        ("WAS_WORKS_FOR", "org-huasheng-sz", None, "2025-06-01"),
        ("WORKS_FOR", "org-cimc", "2025-06-01", None),
    ]
    assert [x for x in got if x[0] in ("REPORTS_TO", "WAS_REPORTS_TO")] == [
        ("WAS_REPORTS_TO", "p-he-jing", None, "2025-06-01"),
        ("WAS_REPORTS_TO", "p-huang-fang", None, "2025-06-01"),
        ("WAS_REPORTS_TO", "p-wu-lei", None, "2025-06-01"),
    ]
    assert [x for x in got if x[0] in ("BUYING_ROLE", "WAS_BUYING_ROLE")] == [
        ("WAS_BUYING_ROLE", "org-huasheng", None, "2025-06-01")
    ]
    assert [x for x in got if x[0] in ("FAMILY", "KNOWS", "COVERS")] == [
        ("COVERS", "rep-qian-bo", None, None),
        ("FAMILY", "p-liu-hui", None, None),
        ("KNOWS", "p-zhang-cuishan", None, None),
    ]
    # Audited under the mutation's name: one entry per link closed or opened.
    trail = data_of(
        await manager(
            '{ auditTrail(partyId: "p-zhang-li", first: 20) '
            "{ edges { node { mutation entity action } } } }"
        )
    )["auditTrail"]["edges"]
    assert sorted((e["node"]["entity"], e["node"]["action"]) for e in trail) == [
        ("BUYING_ROLE", "DELETE"),
        ("EMPLOYMENT", "CREATE"),
        ("EMPLOYMENT", "DELETE"),
        ("REPORTING_LINE", "DELETE"),
        ("REPORTING_LINE", "DELETE"),
        ("REPORTING_LINE", "DELETE"),
    ]
    assert {e["node"]["mutation"] for e in trail} == {"recordJobChange"}

    # jobChanges finds the move from both sides: 钱波 (华盛's team: org-huasheng-sz is a unit
    # of its account org-huasheng) and 中集's team (the new employer is its account).
    moved = {
        "personId": "p-zhang-li",
        "fromOrganizationId": "org-huasheng-sz",
        "toOrganizationId": "org-cimc",
        "date": "2025-06-01",
        "title": "副总裁",
        "previousTitle": "首席财务官 CFO",
    }
    for args in ('repId: "rep-qian-bo"', 'teamId: "team-cimc"', 'teamId: "team-huasheng"'):
        page = data_of(await manager(JOB_CHANGES % f'{args}, since: "2025-01-01"'))
        assert [e["node"] for e in page["jobChanges"]["edges"]] == [moved], args
        assert page["jobChanges"]["pageInfo"]["hasNextPage"] is False
    later = data_of(await manager(JOB_CHANGES % 'repId: "rep-qian-bo", since: "2025-06-02"'))
    assert later["jobChanges"]["edges"] == []
    # A rep asks about their own accounts only.
    rep = as_key(production.url, "demo-rep")
    for args in ('repId: "rep-qian-bo"', 'teamId: "team-cimc"'):
        assert error_codes(await rep(JOB_CHANGES % args)) == ["FORBIDDEN"], args
    assert error_codes(await manager(JOB_CHANGES % 'repId: "rep-nobody"')) == ["NOT_FOUND"]
    both = await manager(JOB_CHANGES % 'repId: "rep-qian-bo", teamId: "team-cimc"')
    assert error_codes(both) == ["INVALID_INPUT"]


async def test_bad_input_is_refused_and_nothing_is_written(
    db: Database, production: LiveServer
) -> None:
    db.dirty()
    await db.demo()
    admin = as_key(production.url, "admin")
    before = await links(db)
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    cases = [
        ({"personId": "p-nobody"}, "NOT_FOUND", "input.personId", None),
        ({"toOrganizationId": "org-nowhere"}, "NOT_FOUND", "input.toOrganizationId", None),
        ({"reportsToId": "p-nobody"}, "NOT_FOUND", "input.reportsToId", None),
        ({"date": "2014-12-31"}, "INVALID_INPUT", "input.date", "OVERLAPPING_PERIOD"),
        ({"date": tomorrow}, "INVALID_INPUT", "input.date", "FUTURE_DATE"),
        (
            {"toOrganizationId": "org-huasheng-sz"},
            "INVALID_INPUT",
            "input.toOrganizationId",
            "SAME_ORGANIZATION",
        ),
        (
            {"fromOrganizationId": "org-cimc"},
            "INVALID_INPUT",
            "input.fromOrganizationId",
            "NO_SUCH_EMPLOYMENT",
        ),
        ({"reportsToId": "p-zhang-li"}, "INVALID_INPUT", "input.reportsToId", "SELF_LINK"),
        ({"title": "x" * 1000}, "INVALID_INPUT", "input.title", None),
        ({"expectedVersion": 7}, "CONFLICT", "input.expectedVersion", None),
    ]
    for change, code, field, reason in cases:
        body = await admin(RECORD, {"input": {**MOVE, **change}})
        assert error_codes(body) == [code], (change, body)
        ext = body["errors"][0]["extensions"]
        assert ext["field"] == field, (change, ext)
        if reason is not None:
            assert ext["reason"] == reason, (change, ext)
    assert await links(db) == before


async def test_a_rep_records_only_the_moves_of_people_they_see(
    db: Database, production: LiveServer
) -> None:
    db.dirty()
    await db.demo()
    rep = as_key(production.url, "demo-rep")  # 刘洋: 中集's team; 张立 is 华盛's
    hidden = await rep(RECORD, {"input": MOVE})
    unknown = await rep(RECORD, {"input": {**MOVE, "personId": "p-unknown"}})
    assert error_codes(hidden) == error_codes(unknown) == ["NOT_FOUND"]
    assert hidden["errors"][0]["message"].replace("p-zhang-li", "X") == unknown["errors"][0][
        "message"
    ].replace("p-unknown", "X")


async def test_a_retry_with_the_same_key_is_answered_once(
    db: Database, production: LiveServer
) -> None:
    db.dirty()
    await db.demo()
    db.dirty()
    headers = {"X-API-Key": KEYS["admin"], "Idempotency-Key": "job-change-1"}
    answers = []
    async with httpx.AsyncClient(timeout=60) as client:
        for _ in range(2):
            response = await client.post(
                f"{production.url}/graphql",
                json={"query": RECORD, "variables": {"input": MOVE}},
                headers=headers,
            )
            answers.append((response.json(), response.headers.get("Idempotent-Replayed")))
    (first, replayed_first), (second, replayed_second) = answers
    assert "errors" not in first, first
    assert first == second
    assert (replayed_first, replayed_second) == (None, "true")
    works = await db.store.read(
        "MATCH (:Person {id: 'p-zhang-li'})-[r:WORKS_FOR|WAS_WORKS_FOR]->() RETURN count(r) AS n"
    )
    assert works[0]["n"] == 2


@pytest.mark.slow
async def test_generated_moves_are_found(db: Database, gql: GraphQLClient, tmp_path: Path) -> None:
    """The generator's past employers are job changes (a job closed the day the next one
    began, graph_api/generate/history.py): jobChanges lists them for the teams whose
    accounts they left or joined, each one a pair of rows of the generated document."""
    path = tmp_path / "generated.json"
    write_dataset(path, 3000, 11)
    doc = orjson.loads(path.read_bytes())
    await db.empty()
    report = await import_path(db.store, path)
    assert [p.line() for p in report.problems] == []
    moves = {
        (r["personId"], r["validTo"])
        for r in doc["employment"]
        if r.get("validTo") is not None
        and any(
            n["personId"] == r["personId"]
            and n.get("validFrom") == r["validTo"]
            and n["organizationId"] != r["organizationId"]
            for n in doc["employment"]
        )
    }
    found: set[tuple[str, str]] = set()
    for team in doc["accountTeams"]:
        page = data_of(
            await gql(JOB_CHANGES % f'teamId: "{team["id"]}", since: "2000-01-01", first: 100')
        )
        found |= {(e["node"]["personId"], e["node"]["date"]) for e in page["jobChanges"]["edges"]}
    assert found, "no generated move found"
    assert found <= moves

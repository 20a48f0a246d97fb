"""recordTasAnswer: answers recorded through the write path, history kept, access and errors."""

from __future__ import annotations

from typing import Any

from tests.conftest import Database, LiveServer, data_of, error_codes
from tests.principals import as_key

RECORD = """
mutation ($input: RecordTasAnswerInput!) {
  recordTasAnswer(input: $input) { id question answer answeredBy answeredAt comment evidence }
}
"""
Q5 = """
query {
  opportunityAssessment(opportunityId: "opp-cimc-overseas") {
    headings { questions { number answer source recorded { id } history { id answer } } }
  }
}
"""


def q5(body: dict[str, Any]) -> dict[str, Any]:
    card = data_of(body)["opportunityAssessment"]
    return next(q for h in card["headings"] for q in h["questions"] if q["number"] == 5)


def answer(id_: str, value: str, **more: Any) -> dict[str, Any]:
    return {
        "input": {
            "id": id_,
            "opportunityId": "opp-cimc-overseas",
            "question": 5,
            "answer": value,
            **more,
        }
    }


async def test_record_answers_keeps_history(db: Database, production: LiveServer) -> None:
    await db.demo()
    db.dirty()
    rep = as_key(production.url, "demo-rep")
    first = data_of(
        await rep(
            RECORD,
            answer("t-5a", "YES", comment="王志强确认了评标标准", evidence=["https://x/1"]),
        )
    )["recordTasAnswer"]
    # Who and when are the caller (刘洋's key: subject liu-yang) and the transaction's time.
    assert (first["answeredBy"], first["answer"], first["evidence"]) == (
        "liu-yang",
        "YES",
        ["https://x/1"],
    )
    now = q5(await rep(Q5))
    assert (now["answer"], now["source"], now["recorded"]["id"]) == ("YES", "TEAM", "t-5a")

    data_of(await rep(RECORD, answer("t-5b", "NO", comment="标准改为价格优先")))
    now = q5(await rep(Q5))
    assert (now["answer"], now["recorded"]["id"]) == ("NO", "t-5b")
    assert [(h["id"], h["answer"]) for h in now["history"]] == [("t-5a", "YES"), ("t-5b", "NO")]

    # The same id and data again is a retry: nothing new, the same answer (and time) back.
    again = data_of(
        await rep(
            RECORD,
            answer("t-5a", "YES", comment="王志强确认了评标标准", evidence=["https://x/1"]),
        )
    )["recordTasAnswer"]
    assert again == first
    # The same id with another answer is not a retry: refused, nothing changed.
    body = await rep(RECORD, answer("t-5a", "NO"))
    assert error_codes(body) == ["CONFLICT"]
    assert len(q5(await rep(Q5))["history"]) == 2


async def test_refused_input_and_access(db: Database, production: LiveServer) -> None:
    await db.demo()
    rep = as_key(production.url, "demo-rep")
    body = await rep(RECORD, {"input": {**answer("t-x", "YES")["input"], "question": 15}})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "input.question"
    body = await rep(RECORD, {"input": {**answer("t-x", "YES")["input"], "opportunityId": "no"}})
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["extensions"]["field"] == "input.opportunityId"
    # A rep who does not see 中集集团 is told what an unknown opportunity would tell.
    stranger = as_key(production.url, "rep-none")
    body = await stranger(RECORD, answer("t-x", "YES"))
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["extensions"]["field"] == "input.opportunityId"
    body = await stranger(Q5)
    assert error_codes(body) == ["NOT_FOUND"]
    # Nothing was written by the refused changes.
    assert [h["id"] for h in q5(await rep(Q5))["history"]] == []


SET_HOLD = """
mutation ($input: CompetitorCoverageInput!) {
  setCompetitorCoverage(input: $input) { competitorId person { id } strength champion version }
}
"""
SET_IN = """
mutation ($input: CompetitorOpportunityInput!) {
  setCompetitorOpportunity(input: $input) { competitorId opportunityId shortlisted version }
}
"""
CLOSER = """
query {
  opportunityAssessment(opportunityId: "opp-cimc-overseas", asOf: "2026-12-01") {
    deciders { personId closer competitorStrength }
    competitors { competitor { id } shortlisted }
  }
}
"""


async def test_competitor_links_through_the_write_path(
    db: Database, production: LiveServer
) -> None:
    await db.demo()
    db.dirty()
    rep = as_key(production.url, "demo-rep")
    # ZZ租赁 now holds 陈刚 more strongly (0.8) than we do (0.6), and is shortlisted.
    link = data_of(
        await rep(
            SET_HOLD,
            {"input": {"competitorId": "comp-zz-leasing", "personId": "p-chen-gang",
                       "strength": 0.8}},
        )
    )["setCompetitorCoverage"]  # fmt: skip
    assert (link["strength"], link["version"]) == (0.8, 1)
    body = await rep(
        SET_IN,
        {"input": {"competitorId": "comp-zz-leasing", "opportunityId": "opp-cimc-overseas",
                   "shortlisted": True, "expectedVersion": 1}},
    )  # fmt: skip
    assert data_of(body)["setCompetitorOpportunity"]["version"] == 2
    card = data_of(await rep(CLOSER))["opportunityAssessment"]
    chen = next(d for d in card["deciders"] if d["personId"] == "p-chen-gang")
    assert (chen["closer"], chen["competitorStrength"]) == ("COMPETITOR", 0.8)
    assert {c["competitor"]["id"]: c["shortlisted"] for c in card["competitors"]} == {
        "comp-yy-bank": True,
        "comp-zz-leasing": True,
    }
    # Changing an existing link without its version is a CONFLICT; an unknown competitor
    # is NOT_FOUND naming the field.
    body = await rep(
        SET_HOLD,
        {"input": {"competitorId": "comp-zz-leasing", "personId": "p-chen-gang", "strength": 0.1}},
    )
    assert error_codes(body) == ["CONFLICT"]
    body = await rep(
        SET_HOLD, {"input": {"competitorId": "comp-nope", "personId": "p-chen-gang", "strength": 1}}
    )
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["extensions"]["field"] == "input.competitorId"

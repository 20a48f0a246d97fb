"""Earned strength (analytics/strength.py) on hand-made interactions, answers derived by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph_api.analytics import strength as s
from graph_api.analytics.strength_zh import explain_zh
from graph_api.services.strength import accumulators_from_rows, pairs_of

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
H = 90.0


def days_before(n: float) -> datetime:
    return NOW - timedelta(days=n)


def meeting(n: float, direction: str | None = "ACTIVE") -> s.Interaction:
    return s.Interaction("MEETING", days_before(n), direction)


def test_one_fresh_two_way_meeting_is_half_and_halves_its_activity_every_half_life() -> None:
    # Activity A = 1.0 (weight) x 2^0 = 1 -> earned 1 / (1 + 1) = 0.5. One half-life later
    # A = 0.5 -> 0.5 / 1.5 = 1/3; two later A = 0.25 -> 0.2.
    acc = s.accumulate([meeting(0, "ACTIVE"), meeting(0, "PASSIVE")], H)
    assert acc is not None
    # Two meetings: A = 2 at NOW -> 2/3.
    assert s.earned(acc, NOW) == pytest.approx(2 / 3)
    one = s.accumulate([meeting(0, None)], H, rep_pair=False)
    assert one is not None
    assert s.earned(one, NOW) == pytest.approx(0.5)
    assert s.earned(one, NOW + timedelta(days=90)) == pytest.approx(1 / 3)
    assert s.earned(one, NOW + timedelta(days=180)) == pytest.approx(0.2)


def test_kinds_weigh_a_meeting_over_a_call_over_an_email() -> None:
    def single(kind: str) -> float:
        acc = s.accumulate([s.Interaction(kind, NOW)], H, rep_pair=False)
        return s.earned(acc, NOW)

    # 1/(1+1) = 0.5, 0.5/1.5 = 1/3, 0.2/1.2 = 1/6.
    assert single("MEETING") == pytest.approx(0.5)
    assert single("CALL") == pytest.approx(1 / 3)
    assert single("EMAIL") == pytest.approx(1 / 6)


def test_one_way_counts_three_quarters() -> None:
    # A rep who always starts the contact: 1 meeting, A = 0.75 -> 0.75 / 1.75 = 3/7.
    acc = s.accumulate([meeting(0, "ACTIVE")], H)
    assert s.earned(acc, NOW) == pytest.approx(3 / 7)
    # With a call the customer started 30 days ago: two-way, A = 1 + 0.5 x 2^(-30/90).
    both = s.accumulate(
        [meeting(0, "ACTIVE"), s.Interaction("CALL", days_before(30), "PASSIVE")], H
    )
    a = 1 + 0.5 * 2 ** (-1 / 3)
    assert s.earned(both, NOW) == pytest.approx(a / (a + 1))


def test_the_accumulator_is_exact_whatever_the_order_and_epoch_distance() -> None:
    items = [
        meeting(6),
        meeting(40, "PASSIVE"),
        s.Interaction("CALL", days_before(89)),
        meeting(20),
    ]
    acc = s.accumulate(items, H)
    rev = s.accumulate(list(reversed(items)), H)
    assert acc == rev
    expected = (
        2 ** (-6 / 90) + 2 ** (-40 / 90) + 0.5 * 2 ** (-89 / 90) + 2 ** (-20 / 90)
    )  # two-way: ACTIVE and PASSIVE both occur
    assert s.activity(acc, NOW) == pytest.approx(expected)
    # Far from the epoch, a short half-life: no overflow (log space).
    far = s.accumulate(
        [s.Interaction("MEETING", datetime(2400, 1, 1, tzinfo=UTC))], 1.0, rep_pair=False
    )
    assert far is not None and s.earned(far, datetime(2400, 1, 1, tzinfo=UTC)) == pytest.approx(0.5)


def test_combined_with_the_declared_strength() -> None:
    # 1 - (1 - 0.3)(1 - 0.5) = 0.65; no declared: the earned 0.5; no interactions: declared.
    acc = s.accumulate([meeting(0, None)], H, rep_pair=False)
    assert s.strength(0.3, acc, NOW) == pytest.approx(0.65)
    assert s.strength(None, acc, NOW) == pytest.approx(0.5)
    assert s.strength(0.3, None, NOW) == pytest.approx(0.3)
    # Long after the last contact it falls back to the declared strength, never below.
    assert s.strength(0.3, acc, NOW + timedelta(days=3650)) == pytest.approx(0.3, abs=1e-9)


def test_explanations_in_both_languages() -> None:
    # 4 meetings, the first 90 days ago, the last 6 days ago, both sides starting them.
    acc = s.accumulate(
        [meeting(90, "ACTIVE"), meeting(50, "PASSIVE"), meeting(20, "ACTIVE"), meeting(6)], H
    )
    assert s.explain(acc, NOW) == "4 meetings in 90 days, last 6 days ago"
    assert explain_zh(acc, NOW) == "90天内会面4次，最近一次在6天前"
    # Kinds by count (ties: the heavier first), the rest counted; one-way said.
    mixed = s.accumulate(
        [
            s.Interaction("CALL", days_before(10), "ACTIVE"),
            s.Interaction("CALL", days_before(3), "ACTIVE"),
            s.Interaction("EMAIL", days_before(2), "ACTIVE"),
            s.Interaction("VISIT", days_before(1), "ACTIVE"),
            s.Interaction("BILLING", days_before(0.5), "ACTIVE"),
        ],
        H,
    )
    assert s.explain(mixed, NOW) == (
        "2 calls, 1 visit and 2 other interactions in 10 days, last today; only we reach out"
    )
    assert (
        explain_zh(mixed, NOW)
        == "10天内电话2次、拜访1次、其他互动2次，最近一次在今天；仅我方主动联系"
    )
    single = s.accumulate([s.Interaction("CALL", days_before(1), "PASSIVE")], H)
    assert s.explain(single, NOW) == "1 call, 1 day ago; only they reach out"
    assert explain_zh(single, NOW) == "电话1次，在1天前；仅客户主动联系"


def test_pairs_and_the_initial_importers_accumulators() -> None:
    assert pairs_of(["r1"], ["p2", "p1"]) == {
        ("R", "r1", "p1"),
        ("R", "r1", "p2"),
        ("P", "p1", "p2"),
    }
    rows = [
        {"kind": "MEETING", "at": NOW, "partyIds": ["p1", "p2", "org"], "repIds": ["r1"]},
        {"kind": "CALL", "at": days_before(90), "direction": "PASSIVE", "partyIds": ["p1"],
         "repIds": ["r1"]},
    ]  # fmt: skip
    found = accumulators_from_rows(rows, {"p1", "p2"}, H)
    assert set(found) == {("R", "r1", "p1"), ("R", "r1", "p2"), ("P", "p1", "p2")}
    assert found[("R", "r1", "p1")].count == 2
    # r1-p1: a meeting now (no direction) and a call 90 days ago that p1 started: one-way
    # (no ACTIVE): A = 0.75 x (1 + 0.5 x 0.5) = 0.9375.
    assert s.activity(found[("R", "r1", "p1")], NOW) == pytest.approx(0.9375)


def test_paths_take_the_combined_strength_and_earned_only_links() -> None:
    from graph_api.analytics import paths

    met = s.accumulate([meeting(0, None)], H, rep_pair=False)  # two people: earned 0.5
    called = s.accumulate([s.Interaction("CALL", NOW, "ACTIVE")], H)  # rep, one-way: 0.375 / 1.375
    assert met is not None and called is not None
    links = [
        paths.Link("b", "a", "KNOWS", 0.3),  # stored from either end; the pair is (a, b)
        paths.Link("rep", "c", "COVERS", 0.9),  # no interactions: unchanged
    ]
    engaged = {("a", "b"): met, ("rep", "a"): called}
    found = paths.with_engagement(links, engaged, {"rep"}, NOW)
    by_pair = {(x.source, x.target): x for x in found}
    # 1 - 0.7 x 0.5 = 0.65; the rep's call alone: 0.375 / 1.375 = 0.2727 as a COVERS link.
    assert by_pair[("b", "a")].strength == 0.65 and by_pair[("b", "a")].declared
    assert by_pair[("rep", "c")].strength == 0.9 and by_pair[("rep", "c")].engaged is None
    earned = by_pair[("rep", "a")]
    assert (earned.type, earned.strength, earned.declared) == ("COVERS", 0.2727, False)
    assert paths.link_label(earned, True) == "in contact with (1 call, today; only we reach out)"
    assert paths.link_label(by_pair[("b", "a")], True) == "knows (1 meeting, today)"
    from graph_api.analytics.paths_zh import link_label as zh_label

    assert zh_label(earned, True) == "有互动(电话1次，在今天；仅我方主动联系)"

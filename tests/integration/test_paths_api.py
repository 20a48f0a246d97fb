"""relationshipPath and warmIntroductions over GraphQL, on the demo data and planted graphs.

Link strengths (docs/ANALYTICS.md): stored strength for COVERS, INFLUENCES, KNOWS (default
0.5); REPORTS_TO 0.7; WORKS_FOR 0.5 (only to an organization at an end: organizations are
not passed through); COLLEAGUE same team 0.5, skip level 0.4, same unit 1 / (1 + log2
headcount); FAMILY spouse 0.9, parent/child 0.8, sibling 0.7. A path's strength is the
product of its links'; the strongest wins, then fewer links.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Database, GraphQLClient, data_of, error_codes

PATH_FIELDS = """
  hops weight explanation
  nodes { id kind label }
  links { source target type label strength }
"""
RELATIONSHIP_PATH = f"""
query ($from: ID!, $to: ID!, $hops: Int, $limit: Int) {{
  relationshipPath(fromId: $from, toId: $to, maxHops: $hops, limit: $limit) {{ {PATH_FIELDS} }}
}}
"""
WARM = f"""
query ($target: ID!, $hops: Int, $limit: Int) {{
  warmIntroductions(targetId: $target, maxHops: $hops, limit: $limit) {{ {PATH_FIELDS} }}
}}
"""


def node_ids(path: dict[str, Any]) -> list[str]:
    return [n["id"] for n in path["nodes"]]


async def test_warm_introductions_to_the_demo_ceo(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    paths = data_of(await gql(WARM, {"target": "p-wang-zhiqiang"}))["warmIntroductions"]
    # Coverage strengths are the declared ones combined with what the demo's interactions
    # earned at the tests' strength clock, 2026-12-01 (docs/ANALYTICS.md "Earned strength";
    # each pair has one interaction, so one-way, f = 0.75; earned A / (A + 1)):
    #   刘洋-李娜 .9 and 刘洋-陈刚 .6, a visit 41.92 days before: A = .75 x 2^(-41.92/90)
    #     = .5431, earned .3519: 1 - .1 x .6481 = .9352 and 1 - .4 x .6481 = .7408;
    #   黄蕾-张翠山 .4, a service contact 110.88 days before (w .3): A = .0958, .4525;
    #   钱波-张立 .8, a visit 90.92 days before: A = .3724, earned .2713, .8543;
    #   黄蕾-张太太 .3, a claim 182.96 days before (w .3): A = .0550, .3365.
    # 刘洋 covers 李娜 (.9352), who influences 王志强 (.7; she also reports to him, .7): .6546.
    # 刘洋 covers 陈刚 (.7408); 周教授 influences 陈刚 (.7) and 王志强 (.8): .4148.
    # 黄蕾 covers 张翠山 (.4525), who reports to 王志强 (.7): .3168.
    # 钱波 covers 张立 (.8543), who knows 张翠山 (.5), who reports to 王志强: .2990 (before
    #   the interactions it tied 黄蕾's .28 and came after it by length; it still does, now
    #   by strength).
    # 黄蕾 covers 张太太 (.3365), spouse of 张翠山 (.9): .2120.
    assert [node_ids(p) for p in paths] == [
        ["rep-liu-yang", "p-li-na", "p-wang-zhiqiang"],
        ["rep-liu-yang", "p-chen-gang", "p-zhou-prof", "p-wang-zhiqiang"],
        ["rep-huang-lei", "p-zhang-cuishan", "p-wang-zhiqiang"],
        ["rep-qian-bo", "p-zhang-li", "p-zhang-cuishan", "p-wang-zhiqiang"],
        ["rep-huang-lei", "p-zhang-taitai", "p-zhang-cuishan", "p-wang-zhiqiang"],
    ]
    assert [p["weight"] for p in paths] == pytest.approx(
        [0.9352 * 0.7, 0.7408 * 0.7 * 0.8, 0.4525 * 0.7, 0.8543 * 0.5 * 0.7, 0.3365 * 0.9 * 0.7],
        abs=1e-4,  # weights are reported to 4 digits
    )
    best = paths[0]
    assert best["hops"] == 2
    assert best["nodes"][0] == {"id": "rep-liu-yang", "kind": "REP", "label": "刘洋"}
    assert best["links"] == [
        {"source": "rep-liu-yang", "target": "p-li-na", "type": "COVERS",
         "label": "covers (personal; 1 visit, 41 days ago; only we reach out)",
         "strength": 0.9352},
        {"source": "p-li-na", "target": "p-wang-zhiqiang", "type": "INFLUENCES",
         "label": "influences (political)", "strength": 0.7},
    ]  # fmt: skip
    assert best["explanation"] == (
        "刘洋 covers (personal; 1 visit, 41 days ago; only we reach out) 李娜 (0.94); "
        "李娜 influences (political) 王志强 (0.70). Strength 0.65 over 2 links."
    )
    # Read against its stored direction, a link says so: 陈刚 listens to 周教授.
    assert paths[1]["links"][1]["label"] == "listens to (technical)"
    assert paths[4]["links"][1]["label"] == "spouse of"


async def test_relationship_path_between_two_groups(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    paths = data_of(
        await gql(RELATIONSHIP_PATH, {"from": "p-liu-hui", "to": "p-wang-zhiqiang", "hops": 4})
    )["relationshipPath"]
    # 刘慧 is 张立's spouse (.9); 张立 knows 张翠山 (.5, 商学院同学); 张翠山 reports to
    # 王志强 (.7): .315. 刘慧's only other link is 钱波's call of 2026-10-28 (33.6 days
    # before the tests' strength clock; one-way, w .5): earned-only, A = .75 x .5 x
    # 2^(-33.63/90) = .2894, .2245; then 钱波 covers 张立 (.8543, see the warm introductions):
    # .2245 x .8543 x .5 x .7 = .0671, a second path through another first link.
    assert [node_ids(p) for p in paths] == [
        ["p-liu-hui", "p-zhang-li", "p-zhang-cuishan", "p-wang-zhiqiang"],
        ["p-liu-hui", "rep-qian-bo", "p-zhang-li", "p-zhang-cuishan", "p-wang-zhiqiang"],
    ]
    assert (
        paths[1]["links"][0]["label"] == "in contact with (1 call, 33 days ago; only we reach out)"
    )
    assert paths[0]["weight"] == pytest.approx(0.315)
    assert [x["label"] for x in paths[0]["links"]] == [
        "spouse of",
        "knows (商学院同学)",
        "reports to",
    ]
    # Two links are not enough: an empty answer, not an error.
    short = await gql(RELATIONSHIP_PATH, {"from": "p-liu-hui", "to": "p-wang-zhiqiang", "hops": 2})
    assert data_of(short)["relationshipPath"] == []


async def test_relationship_path_from_a_rep(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    paths = data_of(
        await gql(RELATIONSHIP_PATH, {"from": "rep-qian-bo", "to": "p-he-jing", "limit": 5})
    )["relationshipPath"]
    # 钱波 covers 张立 (.8543 with his visit: see the warm introductions), who reports to
    # 何静 (.7): .5980. Through 吴磊 (.5, with the complaint he made 204.7 days before the
    # strength clock, one-way, w .3: A = .75 x .3 x 2^(-204.71/90) = .0465, .5222), who
    # reports to 张立 (.7), then to 何静 (.7): .2559. Through 刘慧 (钱波's call: .2245), spouse
    # of 张立 (.9): .1414.
    assert [node_ids(p) for p in paths] == [
        ["rep-qian-bo", "p-zhang-li", "p-he-jing"],
        ["rep-qian-bo", "p-wu-lei", "p-zhang-li", "p-he-jing"],
        ["rep-qian-bo", "p-liu-hui", "p-zhang-li", "p-he-jing"],
    ]
    assert [p["weight"] for p in paths] == pytest.approx(
        [0.8543 * 0.7, 0.5222 * 0.7 * 0.7, 0.2245 * 0.9 * 0.7], abs=1e-4
    )
    assert paths[0]["links"][1]["label"] == "reports to"


def planted_paths() -> dict[str, Any]:
    """s and t know each other weakly (0.1); s-a-b-t know each other well (0.9 each);
    x knows nobody; rep covers a."""
    people = ["s", "a", "b", "t", "x"]
    return {
        "people": [{"id": p, "name": p.upper()} for p in people],
        "reps": [{"id": "rep", "name": "REP"}],
        "acquaintance": [
            {"fromId": "s", "toId": "t", "strength": 0.1},
            {"fromId": "a", "toId": "s", "strength": 0.9},
            {"fromId": "a", "toId": "b", "strength": 0.9},
            {"fromId": "b", "toId": "t", "strength": 0.9},
        ],
        "coverage": [{"repId": "rep", "personId": "a", "strength": 0.5}],
    }


async def test_strong_detour_beats_short_weak_link(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load(planted_paths(), tmp_path)
    paths = data_of(await gql(RELATIONSHIP_PATH, {"from": "s", "to": "t"}))["relationshipPath"]
    # .9^3 = .729 > .1: the three strong links first, the direct weak one second.
    assert [node_ids(p) for p in paths] == [["s", "a", "b", "t"], ["s", "t"]]
    assert [p["weight"] for p in paths] == pytest.approx([0.729, 0.1])
    # Within two links only the weak one exists.
    within_two = data_of(await gql(RELATIONSHIP_PATH, {"from": "s", "to": "t", "hops": 2}))
    assert [node_ids(p) for p in within_two["relationshipPath"]] == [["s", "t"]]
    # x is linked to nobody: no path, an empty list.
    none = data_of(await gql(RELATIONSHIP_PATH, {"from": "s", "to": "x", "hops": 6}))
    assert none["relationshipPath"] == []
    assert data_of(await gql(WARM, {"target": "x"}))["warmIntroductions"] == []
    # rep -> a (.5) -> b (.9) -> t (.9) = .405 beats rep -> a -> s -> t (.045).
    warm = data_of(await gql(WARM, {"target": "t"}))["warmIntroductions"]
    assert [node_ids(p) for p in warm] == [["rep", "a", "b", "t"]]


async def test_one_database_round_trip_per_path_field(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    for query, variables in [
        (WARM, {"target": "p-wang-zhiqiang", "hops": 6}),
        (RELATIONSHIP_PATH, {"from": "p-liu-hui", "to": "p-he-jing", "hops": 6}),
    ]:
        body = await gql(query, variables)
        assert next(iter(data_of(body).values()))
        assert body["extensions"]["roundTrips"] == 1


@pytest.mark.parametrize(
    ("query", "variables", "code", "field"),
    [
        (RELATIONSHIP_PATH, {"from": "nobody", "to": "p-li-na"}, "NOT_FOUND", "fromId"),
        (RELATIONSHIP_PATH, {"from": "p-li-na", "to": "nobody"}, "NOT_FOUND", "toId"),
        (RELATIONSHIP_PATH, {"from": "p-li-na", "to": "p-li-na"}, "INVALID_INPUT", "toId"),
        (RELATIONSHIP_PATH, {"from": "p-li-na", "to": "p-he-jing", "hops": 7}, "INVALID_INPUT",
         "maxHops"),
        (RELATIONSHIP_PATH, {"from": "p-li-na", "to": "p-he-jing", "hops": 0}, "INVALID_INPUT",
         "maxHops"),
        (RELATIONSHIP_PATH, {"from": "p-li-na", "to": "p-he-jing", "limit": 0}, "INVALID_INPUT",
         "limit"),
        (WARM, {"target": "nobody"}, "NOT_FOUND", "targetId"),
        (WARM, {"target": "rep-liu-yang"}, "NOT_FOUND", "targetId"),
        (WARM, {"target": "p-li-na", "hops": 7}, "INVALID_INPUT", "maxHops"),
    ],
)  # fmt: skip
async def test_bad_path_input_is_named(
    db: Database,
    gql: GraphQLClient,
    query: str,
    variables: dict[str, Any],
    code: str,
    field: str,
) -> None:
    await db.demo()
    body = await gql(query, variables)
    assert list(body["data"].values()) == [None]
    assert error_codes(body) == [code]
    assert body["errors"][0]["extensions"]["field"] == field


def planted_bank() -> dict[str, Any]:
    """A bank of 204 people: a, b, m, c and 200 clerks. a knows x, x knows y, y knows b
    (.5 each); a and c report to m; our rep covers a (.9)."""
    clerks = [f"clerk-{i:03d}" for i in range(200)]
    staff = ["a", "b", "m", "c", *clerks]
    return {
        "organizations": [{"id": "bank", "name": "Big Bank"}],
        "people": [{"id": p, "name": p.upper()} for p in [*staff, "x", "y"]],
        "reps": [{"id": "rep", "name": "REP"}],
        "employment": [{"personId": p, "organizationId": "bank", "title": "Staff"} for p in staff],
        "reporting": [{"personId": "a", "managerId": "m"}, {"personId": "c", "managerId": "m"}],
        "acquaintance": [
            {"fromId": "a", "toId": "x", "strength": 0.5},
            {"fromId": "x", "toId": "y", "strength": 0.5},
            {"fromId": "y", "toId": "b", "strength": 0.5},
        ],
        "coverage": [{"repId": "rep", "personId": "a", "strength": 0.9}],
    }


# Colleagues of the bank: 1 / (1 + log2 204) = 1 / 8.672 = .1153 (docs/ANALYTICS.md); the
# API reports 4 decimals.
BANK_COLLEAGUES = 0.1153


async def test_a_large_employer_loses_to_a_chain_of_acquaintances(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load(planted_bank(), tmp_path)
    paths = data_of(await gql(RELATIONSHIP_PATH, {"from": "a", "to": "b"}))["relationshipPath"]
    # Before, a works for the bank which employs b: .5 x .5 = .25, first. Now the bank is
    # not passed through: a-x-y-b .125; a and b as colleagues .1153; a reports to m (.7),
    # m and b colleagues: .0807. (Through c: .5 x .1153 = .0577, fourth; limit 3.)
    assert [node_ids(p) for p in paths] == [["a", "x", "y", "b"], ["a", "b"], ["a", "m", "b"]]
    assert [p["weight"] for p in paths] == pytest.approx(
        [0.125, BANK_COLLEAGUES, 0.7 * BANK_COLLEAGUES], abs=1e-4
    )
    assert paths[1]["links"] == [
        {"source": "a", "target": "b", "type": "COLLEAGUE",
         "label": "colleague of (Big Bank, 204 people)", "strength": 0.1153},
    ]  # fmt: skip
    # Personal links only: the acquaintances alone.
    personal = await gql(
        """query { relationshipPath(fromId: "a", toId: "b", limit: 5,
                   linkTypes: [FAMILY, INFLUENCES, KNOWS, COVERS]) { nodes { id } } }"""
    )
    assert [node_ids(p) for p in data_of(personal)["relationshipPath"]] == [["a", "x", "y", "b"]]
    # rep covers a (.9): through the acquaintances .1125, as colleagues .1038: one
    # introduction per first contact, the stronger.
    warm = data_of(await gql(WARM, {"target": "b"}))["warmIntroductions"]
    assert [node_ids(p) for p in warm] == [["rep", "a", "x", "y", "b"]]
    assert warm[0]["weight"] == pytest.approx(0.1125)


async def test_a_same_team_colleague_wins_when_it_is_the_real_link(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load(planted_bank(), tmp_path)
    paths = data_of(await gql(RELATIONSHIP_PATH, {"from": "a", "to": "c"}))["relationshipPath"]
    # a and c report to m: teammates .5; through m .7 x .7 = .49; a knows x, x knows y,
    # neither works with c: then the bank colleagues of a, first b: .1153 x .1153.
    assert [node_ids(p) for p in paths][:2] == [["a", "c"], ["a", "m", "c"]]
    assert [p["weight"] for p in paths][:2] == pytest.approx([0.5, 0.49])
    assert paths[0]["links"][0]["label"] == "teammate of (under M)"
    zh = await gql(
        """query { relationshipPath(fromId: "a", toId: "c", limit: 1) { links { label } } }""",
        headers={"Accept-Language": "zh"},
    )
    assert data_of(zh)["relationshipPath"][0]["links"][0]["label"] == "同组同事(M下属)"


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ('relationshipPath(fromId: "a", toId: "b", linkTypes: [])', "[]"),
        ('warmIntroductions(targetId: "b", linkTypes: [KNOWS, FAMILY])', "KNOWS,FAMILY"),
    ],
)
async def test_a_bad_link_type_combination_is_named(
    db: Database, gql: GraphQLClient, tmp_path: Path, query: str, value: str
) -> None:
    await db.load(planted_bank(), tmp_path)
    body = await gql(f"query {{ {query} {{ hops }} }}")
    assert list(body["data"].values()) == [None]
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "linkTypes"
    assert body["errors"][0]["extensions"]["value"] == value

"""search over GraphQL: Chinese and Latin names, partial names, filters, pagination, and
text that would be Lucene syntax."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph_api.services.search import escape_lucene, lucene_query
from tests.conftest import Database, GraphQLClient, data_of, error_codes

SEARCH = """
query ($text: String!, $kinds: [PartyKind!], $tier: Tier, $industry: String, $region: String,
       $first: Int, $after: String) {
  search(text: $text, kinds: $kinds, tier: $tier, industry: $industry, region: $region,
         first: $first, after: $after) {
    totalCount
    edges { cursor score node { __typename id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


async def search(gql: GraphQLClient, text: str, **variables: Any) -> dict[str, Any]:
    result: dict[str, Any] = data_of(await gql(SEARCH, {"text": text, **variables}))["search"]
    return result


def found(result: dict[str, Any]) -> list[str]:
    return [e["node"]["id"] for e in result["edges"]]


async def test_one_chinese_character_finds_the_name(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    by_surname = await search(gql, "张")
    assert set(found(by_surname)) == {
        "p-zhang-li",
        "p-zhang-cuishan",
        "p-zhang-taitai",
        "p-zhang-xiaomei",
    }
    assert found(await search(gql, "立")) == ["p-zhang-li"]
    assert found(await search(gql, "张立")) == ["p-zhang-li"]


async def test_latin_partial_names_match_aliases(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    assert "p-zhang-li" in found(await search(gql, "Zha"))
    assert found(await search(gql, "zhang li")) == ["p-zhang-li"]
    assert found(await search(gql, "Li Na")) == ["p-li-na"]
    # Both carry the alias word CIMC ("CIMC Overseas Projects").
    assert set(found(await search(gql, "CIMC"))) == {"org-cimc", "org-cimc-overseas"}
    # "Zha" starts both "Zhang" and "Zhao" (赵敏); "Zhan" only "Zhang".
    assert "p-zhao-min" in found(await search(gql, "Zha"))
    assert "p-zhao-min" not in found(await search(gql, "Zhan"))


async def test_filters_by_kind_tier_industry_and_region(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    huasheng = await search(gql, "华盛", kinds=["ORGANIZATION"])
    assert set(found(huasheng)) == {
        "org-huasheng",
        "org-huasheng-sz",
        "org-huasheng-bj",
        "org-huasheng-sh",
    }
    assert found(await search(gql, "华盛", region="华北")) == ["org-huasheng-bj"]
    assert found(await search(gql, "中集", tier="STRATEGIC")) == ["org-cimc"]
    # A person's industry is their employer's: of the 张 family only 张立 works in finance.
    assert found(await search(gql, "张", industry="金融")) == ["p-zhang-li"]
    assert found(await search(gql, "张", kinds=["ORGANIZATION"])) == []
    people = await search(gql, "华盛 Huasheng", kinds=["PERSON"])
    assert people["totalCount"] == 0


async def test_search_paginates_in_a_stable_order(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    everything = await search(gql, "张", first=10)
    assert everything["totalCount"] == 4
    ranked = [(-e["score"], e["node"]["id"]) for e in everything["edges"]]
    assert ranked == sorted(ranked)  # best score first, ties by id
    pages, after = [], None
    while True:
        page = await search(gql, "张", first=3, after=after)
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert [len(p["edges"]) for p in pages] == [3, 1]
    assert [i for p in pages for i in found(p)] == found(everything)
    assert [p["pageInfo"]["hasPreviousPage"] for p in pages] == [False, True]


async def test_lucene_syntax_in_the_text_is_just_text(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    for text in ['"(', "AND", "张 AND", "OR NOT", "zhang~ li*", "a:b", "[张 TO 立]", "\\", "*"]:
        result = await search(gql, text)
        assert isinstance(result["totalCount"], int), text
    # Punctuation is dropped, the words still count; AND is a word like any other.
    assert found(await search(gql, '("张立")')) == ["p-zhang-li"]
    assert found(await search(gql, "张 AND")) == []
    assert found(await search(gql, '"(')) == []


async def test_bad_search_input(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"text": "  "}, "text"),
        ({"text": "x" * 201}, "text"),
        ({"text": "张", "first": 0}, "first"),
        ({"text": "张", "first": 101}, "first"),
        ({"text": "张", "after": "garbage"}, "after"),
    ]
    for variables, field in cases:
        body = await gql(SEARCH, variables)
        assert error_codes(body) == ["INVALID_INPUT"], variables
        assert body["errors"][0]["extensions"]["field"] == field
    # A cursor belongs to its search: reused for another text it is refused.
    cursor = (await search(gql, "张", first=1))["pageInfo"]["endCursor"]
    body = await gql(SEARCH, {"text": "华盛", "after": cursor})
    assert error_codes(body) == ["INVALID_INPUT"]


async def test_search_on_a_larger_set_pages_without_gaps(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    # 45 people named 王 plus a number: every one is found once over the pages.
    await db.load(
        {"people": [{"id": f"p-{i:02d}", "name": f"王{i:02d}"} for i in range(45)]}, tmp_path
    )
    seen: list[str] = []
    after = None
    while True:
        page = await search(gql, "王", first=20, after=after)
        seen.extend(found(page))
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == [f"p-{i:02d}" for i in range(45)]
    assert len(seen) == 45


UNCOUNTED = SEARCH.replace("    totalCount\n", "")


async def test_without_total_count_the_pages_are_the_same(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    # Without totalCount the search keeps only the best hits of the page (plus one, for
    # hasNextPage) instead of counting all: the pages, cursors and page info must not change.
    # 45 people with tied scores (same name length) and 5 with a better one, over 3 pages.
    people = [{"id": f"p-{i:02d}", "name": f"王{i:02d}"} for i in range(45)]
    people += [{"id": f"q-{i}", "name": "王"} for i in range(5)]
    await db.load({"people": people}, tmp_path)
    counted: list[dict[str, Any]] = []
    uncounted: list[dict[str, Any]] = []
    for query, pages in ((SEARCH, counted), (UNCOUNTED, uncounted)):
        after = None
        while True:
            body = await gql(query, {"text": "王", "first": 20, "after": after})
            page = data_of(body)["search"]
            pages.append(page)
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    assert [p.pop("totalCount") for p in counted] == [50, 50, 50]
    assert "totalCount" not in uncounted[0]
    assert uncounted == counted
    ids = [e["node"]["id"] for p in counted for e in p["edges"]]
    assert sorted(ids[:5]) == ids[:5] == [f"q-{i}" for i in range(5)]  # best first, ties by id
    assert len(set(ids)) == 50


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("张立", "+张 +立"),
        ("Zhang Li", "+(zhang^2 OR zhang*) +(li^2 OR li*)"),
        ('"( AND', "+(and^2 OR and*)"),
        ("张-li", "+张 +(li^2 OR li*)"),
        ("!!", None),
    ],
)
def test_lucene_query_from_text(text: str, query: str | None) -> None:
    assert lucene_query(text) == query


def test_escape_lucene_escapes_every_special_character() -> None:
    assert escape_lucene('a+b-c&&d||e!f(g)h{i}j[k]l^m"n~o*p?q:r\\s/t') == (
        'a\\+b\\-c\\&\\&d\\|\\|e\\!f\\(g\\)h\\{i\\}j\\[k\\]l\\^m\\"n\\~o\\*p\\?q\\:r\\\\s\\/t'
    )


async def test_people_are_found_by_job_title_and_department(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    # 首席财务官 CFO: 李娜 at 中集集团, 张立 at 华盛深圳总公司.
    cfos = {"p-li-na", "p-zhang-li"}
    assert set(found(await search(gql, "CFO"))) == cfos
    assert set(found(await search(gql, "cfo"))) == cfos
    assert set(found(await search(gql, "首席财务官"))) == cfos
    # Words of the name and of the title together, and a Latin prefix of a title.
    assert found(await search(gql, "张 CFO")) == ["p-zhang-li"]
    assert found(await search(gql, "李娜 财务")) == ["p-li-na"]
    assert set(found(await search(gql, "CE"))) >= {"p-wang-zhiqiang", "p-he-jing"}
    # By department (财务部: the two CFOs' and 赵敏's, 资金部经理).
    assert set(found(await search(gql, "财务部"))) == {*cfos, "p-zhao-min"}
    # Organizations have no titles: searching "CFO" for organizations finds none.
    assert found(await search(gql, "CFO", kinds=["ORGANIZATION"])) == []


async def test_titles_follow_every_write_of_employment(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load(
        {
            "organizations": [{"id": "o1", "name": "Acme"}, {"id": "o2", "name": "Beta"}],
            "people": [{"id": "p1", "name": "王五"}],
            "employment": [{"personId": "p1", "organizationId": "o1", "title": "工程师"}],
        },
        tmp_path,
    )
    assert found(await search(gql, "工程师")) == ["p1"]
    job = {"personId": "p1", "organizationId": "o1"}
    set_job = """
    mutation ($input: EmploymentInput!) { setEmployment(input: $input) { title version } }
    """
    changed = data_of(
        await gql(set_job, {"input": {**job, "title": "首席技术官 CTO", "expectedVersion": 1}})
    )
    assert changed["setEmployment"]["title"] == "首席技术官 CTO"
    assert found(await search(gql, "工程师")) == []
    assert found(await search(gql, "CTO")) == ["p1"]
    assert found(await search(gql, "技术官")) == ["p1"]
    # A second job adds its title; removing the first drops its own.
    data_of(
        await gql(
            set_job,
            {
                "input": {
                    "personId": "p1",
                    "organizationId": "o2",
                    "title": "顾问",
                    "department": "董事会",
                }
            },
        )
    )
    assert found(await search(gql, "顾问 CTO")) == ["p1"]
    remove = """
    mutation ($input: RemoveLinkInput!) { removeLink(input: $input) { __typename } }
    """
    data_of(await gql(remove, {"input": {"kind": "EMPLOYMENT", **job}}))
    assert found(await search(gql, "CTO")) == []
    assert found(await search(gql, "董事会")) == ["p1"]
    # Through applyChanges too (the same statements).
    apply = """
    mutation ($changes: [ChangeInput!]!) { applyChanges(changes: $changes) { __typename } }
    """
    body = await gql(apply, {"changes": [{"setEmployment": {**job, "title": "CFO"}}]})
    data_of(body)
    assert found(await search(gql, "CFO")) == ["p1"]

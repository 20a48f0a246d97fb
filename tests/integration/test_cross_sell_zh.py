"""crossSell in Chinese (Accept-Language: zh): the same suggestions and evidence as in English,
with the link labels and explanations said in Chinese; the English answer unchanged."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import Database, GraphQLClient, data_of
from tests.integration.test_cross_sell import CROSS_SELL, evidence_of, suggested

ZH = {"accept-language": "zh-CN,zh;q=0.9,en;q=0.8"}
# The finders' English vocabulary (analytics/cross_sell.py): none of it may be left in Chinese.
ENGLISH = re.compile(
    r"\b(holds|spouse|parent|child|sibling|relative|triggers|suggests|includes|news|co-held|"
    r"confidence|lift|customers|held by|open opportunity|executive|works for|employs|sister|"
    r"group company|unit|corporate client|prospect|no neighbourhood evidence)\b"
)
PARTIES = ("p-zhang-cuishan", "p-zhang-li", "org-cimc", "org-huasheng-sh", "p-zhou-prof")


async def cross_sell(gql: GraphQLClient, party_id: str, headers: dict[str, str]) -> dict[str, Any]:
    body = await gql(CROSS_SELL, {"id": party_id}, headers)
    result: dict[str, Any] = data_of(body)["crossSell"]
    return result


def without_texts(result: dict[str, Any]) -> dict[str, Any]:
    """The answer with the worded texts blanked: what both languages must agree on."""
    for s in result["suggestions"]:
        for e in s["evidence"]:
            e["path"]["explanation"] = None
            for link in e["path"]["links"]:
                link["label"] = None
    return result


async def test_zhang_cuishan_in_chinese(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    life = suggested(await cross_sell(gql, "p-zhang-cuishan", ZH))["prod-life"]
    (household,) = evidence_of(life, "HOUSEHOLD")
    assert [(link["type"], link["label"]) for link in household["path"]["links"]] == [
        ("FAMILY", "配偶"),
        ("HOLDS", "持有"),
    ]
    assert household["path"]["explanation"] == "配偶张太太持有人寿险"
    (rule,) = evidence_of(life, "RULE")
    # The rule's reason is the bank's own text, shown as written.
    assert rule["reason"] == "意外险客户常升级到人寿保障"
    trigger = rule["path"]["nodes"][1]["label"]
    assert rule["path"]["explanation"] == f"{trigger}:意外险客户常升级到人寿保障"
    assert [link["label"] for link in rule["path"]["links"]] == ["持有", "触发", "建议"]


@pytest.mark.parametrize("party_id", PARTIES)
async def test_the_same_facts_in_both_languages(
    db: Database, gql: GraphQLClient, party_id: str
) -> None:
    await db.demo()
    english = await cross_sell(gql, party_id, {})
    chinese = await cross_sell(gql, party_id, ZH)
    assert english["suggestions"], party_id
    texts = [
        text
        for s in chinese["suggestions"]
        for e in s["evidence"]
        for text in (e["path"]["explanation"], *(link["label"] for link in e["path"]["links"]))
    ]
    assert all(texts)
    leftovers = [t for t in texts if ENGLISH.search(t)]
    assert leftovers == [], leftovers
    assert without_texts(chinese) == without_texts(english)


async def test_english_is_unchanged(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    plain = await cross_sell(gql, "p-zhang-cuishan", {})
    english = await cross_sell(gql, "p-zhang-cuishan", {"accept-language": "en-US"})
    assert plain == english
    (household,) = evidence_of(suggested(plain)["prod-life"], "HOUSEHOLD")
    assert household["path"]["explanation"] == "spouse 张太太 holds 人寿险"


# English sentence -> its Chinese one, for each kind of evidence the demo has.
SAID_IN_CHINESE = {
    "spouse 张太太 holds 人寿险": "配偶张太太持有人寿险",
    "parent 华盛深圳总公司 holds 企业年金": "母公司华盛深圳总公司持有企业年金",
    "sister 华盛北京分公司 holds 外汇管理": "兄弟公司华盛北京分公司持有外汇管理",
    "group company 华盛金融集团 holds 代发工资": "集团内公司华盛金融集团持有代发工资",
    "中集集团 holds 代发工资: 代发工资客户的员工是零售信用卡的潜在客户": (
        "中集集团持有代发工资:代发工资客户的员工是零售信用卡的潜在客户"
    ),
    "open opportunity 中集海外产线融资与结算 (QUALIFIED, 50%) includes 信用证": (
        "进行中的商机中集海外产线融资与结算(阶段:拿到资格(50%))包含信用证"
    ),
}


async def test_each_kind_of_evidence_said_in_chinese(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    pairs: dict[str, str] = {}
    kinds: set[str] = set()
    for party_id in PARTIES:
        english = await cross_sell(gql, party_id, {})
        chinese = await cross_sell(gql, party_id, ZH)
        for s_en, s_zh in zip(english["suggestions"], chinese["suggestions"], strict=True):
            for e_en, e_zh in zip(s_en["evidence"], s_zh["evidence"], strict=True):
                pairs[e_en["path"]["explanation"]] = e_zh["path"]["explanation"]
                kinds.add(e_zh["kind"])
    assert {en: pairs.get(en) for en in SAID_IN_CHINESE} == SAID_IN_CHINESE
    assert {"HOUSEHOLD", "GROUP", "EMPLOYER", "RULE", "OPPORTUNITY", "POPULARITY"} <= kinds

"""Languages: enumLabels covering every enum of the schema."""

from __future__ import annotations

import re
from typing import Any

from graphql import GraphQLEnumType

from graph_api.api.schema import build_schema
from graph_api.config import Settings
from tests.conftest import Database, GraphQLClient, data_of, error_codes

LABELS = """
query ($enums: [String!]) { enumLabels(enums: $enums) { enum value label description } }
"""
ZH = {"accept-language": "zh-CN,zh;q=0.9,en;q=0.8"}
_HAN = re.compile(r"[\u4e00-\u9fff]")


def schema_enums() -> dict[str, list[str]]:
    schema = build_schema(Settings(introspection=True))._schema
    return {
        name: list(t.values)
        for name, t in schema.type_map.items()
        if isinstance(t, GraphQLEnumType) and not name.startswith("__")
    }


async def labels(gql: GraphQLClient, headers: dict[str, str] | None = None, **v: Any) -> Any:
    return data_of(await gql(LABELS, v, headers=headers))["enumLabels"]


async def test_every_enum_value_has_a_label_in_both_languages(gql: GraphQLClient) -> None:
    enums = schema_enums()
    assert "BuyingRole" in enums and "CrossSellEvidenceKind" in enums
    english = await labels(gql)
    chinese = await labels(gql, ZH)
    for rows, language in ((english, "en"), (chinese, "zh")):
        got: dict[str, set[str]] = {}
        for row in rows:
            assert row["label"], row
            got.setdefault(row["enum"], set()).add(row["value"])
        for name, values in enums.items():
            assert got.get(name) == set(values), (language, name)
    # Chinese labels are Chinese; English ones are English but for the seed's markers 决审研咨用.
    assert all(_HAN.search(r["label"]) for r in chinese)
    assert not any(_HAN.search(re.sub(r"\([决审研咨用]\)", "", r["label"])) for r in english)


async def test_labels_in_the_requested_language(gql: GraphQLClient) -> None:
    rows = await labels(gql, ZH, enums=["BuyingRole", "Attitude", "Tier", "RadCell"])
    by = {(r["enum"], r["value"]): r for r in rows}
    assert by["BuyingRole", "DECISION_MAKER"]["label"] == "决策者(决)"
    assert by["BuyingRole", "APPROVER"]["label"] == "审批者(审)"
    assert by["Attitude", "SUPPORTER"]["label"] == "支持(+)"
    assert by["Attitude", "OPPONENT"]["label"] == "反对(X)"
    assert by["Tier", "STRATEGIC"]["label"].startswith("战略客户")
    assert "保持型" in by["RadCell", "R1"]["label"]
    assert rows[0]["enum"] == "BuyingRole"
    english = await labels(gql, {"accept-language": "en"}, enums=["BuyingRole"])
    assert english[0] == {
        "enum": "BuyingRole",
        "value": "DECISION_MAKER",
        "label": "Decision maker (决)",
        "description": "Decides",
    }
    # No header: English, as before the header existed.
    assert await labels(gql, enums=["BuyingRole"]) == english


async def test_an_unknown_enum_is_invalid_input_naming_it(gql: GraphQLClient) -> None:
    body = await gql(LABELS, {"enums": ["BuyingRole", "NoSuchEnum"]})
    assert error_codes(body) == ["INVALID_INPUT"]
    extensions = body["errors"][0]["extensions"]
    assert extensions["field"] == "enums" and extensions["value"] == "NoSuchEnum"


DECIDERS = """
query ($account: ID!) {
  keyDeciders(accountId: $account, limit: 7) {
    person { id } explanation parts { component detail }
  }
  decisionAssessment(accountId: $account) {
    decisionLayer { decider { person { id } explanation } }
  }
}
"""


async def test_decider_explanations_in_chinese(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    data = data_of(await gql(DECIDERS, {"account": "org-cimc"}, headers=ZH))
    by = {r["person"]["id"]: r for r in data["keyDeciders"]}
    # The facts of the English explanations (tests/integration/test_deciders_api.py), in Chinese.
    assert by["p-wang-zhiqiang"]["explanation"] == (
        "做决定(决),影响力高,对我们持中立态度;位于汇报线顶端,直接下属2人,下属共5人;"
        "听取周教授和李娜的意见"
    )
    assert by["p-li-na"]["explanation"] == (
        "负责审批(审),影响力高,支持我们;汇报给王志强(首席执行官 CEO),直接下属1人;"
        "王志强(决策者)和赵敏(评估者)听取其意见"
    )
    assert by["p-zhou-prof"]["explanation"] == (
        "未标注采购角色;客户外部人员(交大港口装备研究院,院长);"
        "王志强(决策者)和陈刚(评估者)听取其意见"
    )
    # No English words left but the titles' own (CEO, CFO ...: upper case in the data).
    texts = [r["explanation"] for r in data["keyDeciders"]]
    texts += [p["detail"] for r in data["keyDeciders"] for p in r["parts"]]
    texts += [x["decider"]["explanation"] for x in data["decisionAssessment"]["decisionLayer"]]
    assert all(_HAN.search(t) for t in texts)
    assert [t for t in texts if re.search(r"[a-z]{2,}", t)] == []
    # Without the header: English, as before.
    english = data_of(await gql(DECIDERS, {"account": "org-cimc"}))["keyDeciders"]
    assert english[0]["explanation"].startswith("decides (high influence)")


ASSESSMENT = """
query ($account: ID!) {
  decisionAssessment(accountId: $account) {
    supportAnswer coverageAnswer
    decisionLayer { reason decider { person { id } } }
    risks { kind message }
  }
}
"""


async def test_assessment_answers_and_risks_in_chinese(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    a = data_of(await gql(ASSESSMENT, {"account": "org-cimc"}, headers=ZH))["decisionAssessment"]
    # The English answers of tests/integration/test_deciders_api.py, in Chinese.
    assert [(x["decider"]["person"]["id"], x["reason"]) for x in a["decisionLayer"]] == [
        ("p-wang-zhiqiang", "标注为决策者,决策力排名第1"),
        ("p-li-na", "标注为审批者,决策力排名第2"),
        ("p-zhang-cuishan", "决策力排名第3"),
    ]
    assert a["supportAnswer"] == "是:李娜(审批者,排名第2)和张翠山(咨询者,排名第3)支持我们。"
    assert a["coverageAnswer"] == "否:第1层无覆盖;未覆盖:王志强(决策者,排名第1)。"
    assert a["risks"] == [
        {
            "kind": "UNCOVERED_DECIDER",
            "message": "王志强(决策者,排名第1)没有被我们的任何销售覆盖。切入途径:"
            "李娜(王志强听取其意见;刘洋覆盖,强度0.9)和"
            # 0.4 declared, 0.4525 with the demo's service contact (tests/integration/
            # test_paths_api.py derives the earned strengths), shown to one decimal.
            "张翠山(直接下属;黄蕾覆盖,强度0.5)。",
        },
        {"kind": "LEVEL_WITHOUT_COVERAGE", "message": "第1层无人被我们的销售覆盖(王志强)。"},
    ]


WARM = """
query ($target: ID!) {
  warmIntroductions(targetId: $target) { explanation links { label } nodes { id } }
}
"""


async def test_path_explanations_in_chinese(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    paths = data_of(await gql(WARM, {"target": "p-wang-zhiqiang"}, headers=ZH))["warmIntroductions"]
    # The paths of tests/integration/test_paths_api.py, the same order; their words in Chinese.
    # The coverage with what 刘洋's visit earned (0.9 -> 0.9352) and the visit in words.
    assert paths[0]["explanation"] == (
        "刘洋覆盖(私人;拜访1次，在41天前；仅我方主动联系)李娜(0.94);"
        "李娜影响(政治)王志强(0.70)。共2步,强度0.65。"
    )
    assert [x["label"] for x in paths[0]["links"]] == [
        "覆盖(私人;拜访1次，在41天前；仅我方主动联系)",
        "影响(政治)",
    ]
    # Against its stored direction: 陈刚 listens to 周教授; 张太太 is 张翠山's spouse.
    assert "陈刚听取周教授的意见(技术)(0.70)" in paths[1]["explanation"]
    assert paths[1]["links"][1]["label"] == "听取其意见(技术)"
    assert "张太太是张翠山的配偶" in paths[4]["explanation"]
    assert [t for p in paths if re.search(r"[a-z]{2,}", t := p["explanation"])] == []
    english = data_of(await gql(WARM, {"target": "p-wang-zhiqiang"}))["warmIntroductions"]
    assert [p["nodes"] for p in english] == [p["nodes"] for p in paths]
    assert english[0]["explanation"].startswith(
        "刘洋 covers (personal; 1 visit, 41 days ago; only we reach out) 李娜"
    )

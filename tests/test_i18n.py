"""Languages: Accept-Language negotiation, and enumLabels covering every enum of the schema."""

from __future__ import annotations

import re
from typing import Any

import pytest
from graphql import GraphQLEnumType

from graph_api.api.schema import build_schema
from graph_api.config import Settings
from graph_api.domain.i18n import Language, negotiate
from tests.conftest import GraphQLClient, data_of, error_codes

LABELS = """
query ($enums: [String!]) { enumLabels(enums: $enums) { enum value label description } }
"""
ZH = {"accept-language": "zh-CN,zh;q=0.9,en;q=0.8"}
_HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, Language.EN),
        ("", Language.EN),
        ("zh", Language.ZH),
        ("zh-CN", Language.ZH),
        ("ZH-tw;q=0.5", Language.ZH),
        ("en-US,en;q=0.9", Language.EN),
        ("en;q=0.5,zh;q=0.8", Language.ZH),
        ("zh;q=0.5,en;q=0.8", Language.EN),
        # Equal quality: the one named first.
        ("zh,en", Language.ZH),
        ("en,zh", Language.EN),
        # Unsupported languages are skipped, q=0 refuses, garbage is skipped.
        ("fr,de;q=0.9,zh;q=0.1", Language.ZH),
        ("fr", Language.EN),
        ("zh;q=0,en;q=0.1", Language.EN),
        ("zh;q=abc", Language.EN),
        ("*", Language.EN),
        ("zh;q=0.3,*;q=0.5", Language.EN),
    ],
)
def test_negotiation_honours_q_values(header: str | None, expected: Language) -> None:
    assert negotiate(header) is expected


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

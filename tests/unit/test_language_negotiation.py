"""Accept-Language negotiation: q-values, order, unsupported and malformed entries."""

from __future__ import annotations

import pytest

from graph_api.domain.i18n import Language, negotiate


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

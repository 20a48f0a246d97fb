"""docs/MODEL.md is generated from the format's declaration and must not drift from it."""

from __future__ import annotations

from graph_api.bulk.model_doc import MODEL_DOC, render_model_doc
from graph_api.bulk.spec import SECTIONS


def test_model_doc_matches_the_spec() -> None:
    assert MODEL_DOC.read_text(encoding="utf-8") == render_model_doc(), (
        "docs/MODEL.md drifted from graph_api/bulk/spec.py: run `make schema`"
    )


def test_model_doc_names_every_section_field_and_enum_value() -> None:
    text = render_model_doc()
    for section in SECTIONS:
        assert f"### `{section.name}`" in text
        for f in section.fields:
            assert f"| `{f.name}` |" in text
            for value in f.enum or ():
                assert f"`{value.value}`" in text

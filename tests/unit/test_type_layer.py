"""The API's type layer: no import cycle between its modules, one type per concept, and a
schema that describes every element (the schema linter runs in `make lint`)."""

from __future__ import annotations

import ast
import inspect

import graph_api.domain.cross_sell as domain_cross_sell
import graph_api.domain.model as domain_model
import graph_api.domain.view as domain_view
from graph_api.api.schema import build_schema
from graph_api.config import PROJECT_ROOT

API = PROJECT_ROOT / "graph_api" / "api"


def imported_modules(path_name: str) -> set[str]:
    tree = ast.parse((API / path_name).read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_view_types_do_not_import_the_party_types() -> None:
    # types.py imports view_types.py; the reverse (even lazily) would make a cycle.
    assert "graph_api.api.types" not in imported_modules("view_types.py")
    assert "graph_api.api.view_types" in imported_modules("types.py")


def test_the_deciders_api_reads_the_declaration_not_the_store() -> None:
    assert not any(m.startswith("graph_api.store") for m in imported_modules("deciders.py"))


def test_a_product_is_one_type_in_the_domain_and_in_graphql() -> None:
    products = [
        name
        for module in (domain_model, domain_view, domain_cross_sell)
        for name, obj in vars(module).items()
        if inspect.isclass(obj) and obj.__name__ == "Product" and obj.__module__ == module.__name__
    ]
    assert products == ["Product"]
    sdl = str(build_schema())
    assert "type Product " in sdl and "CrossSellProduct" not in sdl
    assert "excludedProducts: [Product!]!" in sdl


def test_every_enum_value_says_its_domain_term() -> None:
    sdl = str(build_schema())
    for term in ('"""决: decides', '"""战略客户', '"""+: supports us.'):
        assert term in sdl, term

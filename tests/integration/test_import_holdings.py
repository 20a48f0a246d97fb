"""Holdings and beneficiaries of an import reach the graph (they reference their holder)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Database


async def test_holdings_are_linked_to_holder_and_product(db: Database, tmp_path: Path) -> None:
    await db.load(
        {
            "products": [{"id": "prod-a", "name": "A"}],
            "people": [{"id": "p1", "name": "One"}, {"id": "p2", "name": "Two"}],
            "holdings": [{"id": "h1", "partyId": "p1", "productId": "prod-a", "amount": 5}],
            "beneficiaries": [{"personId": "p2", "holdingId": "h1", "share": 1.0}],
        },
        tmp_path,
    )
    rows = await db.store.read(
        "MATCH (p:Person)-[:HOLDS]->(h:Holding)-[:OF_PRODUCT]->(prod:Product) "
        "OPTIONAL MATCH (b:Person)-[:BENEFICIARY_OF]->(h) "
        "RETURN p.id AS holder, h.id AS holding, prod.id AS product, b.id AS beneficiary"
    )
    assert [dict(r) for r in rows] == [
        {"holder": "p1", "holding": "h1", "product": "prod-a", "beneficiary": "p2"}
    ]

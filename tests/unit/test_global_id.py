"""Global ids (graph_api/domain/global_id.py): base64 of `Kind:id`, decoded back; a party's
own id passes through; a global id of an unknown kind or without an id is INVALID_INPUT."""

import pytest

from graph_api.domain.errors import InvalidInput
from graph_api.domain.global_id import NODE_KINDS, NodeRef, from_global_id, to_global_id


def test_a_global_id_is_base64_of_kind_and_id() -> None:
    # base64("Rep:rep-wang") worked out by hand: "Rep:rep-wang" -> UmVwOnJlcC13YW5n
    assert to_global_id("Rep", "rep-wang") == "UmVwOnJlcC13YW5n"
    assert from_global_id("UmVwOnJlcC13YW5n") == NodeRef("Rep", "rep-wang")


@pytest.mark.parametrize("kind", NODE_KINDS)
@pytest.mark.parametrize("node_id", ["x", "p-zhang-li", "中集:集团", "a:b:c", " spaced "])
def test_every_kind_and_id_round_trips(kind: str, node_id: str) -> None:
    assert from_global_id(to_global_id(kind, node_id)) == NodeRef(kind, node_id)


@pytest.mark.parametrize("party_id", ["p-zhang-li", "org-cimc", "abcd", "Rep:x", "UmVw"])
def test_anything_else_is_a_partys_own_id(party_id: str) -> None:
    # "abcd" and "UmVw" are valid base64, but decode to no `Kind:` text; "Rep:x" is no base64.
    assert from_global_id(party_id) == NodeRef(None, party_id)


def test_an_unknown_kind_or_a_missing_id_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as unknown:
        from_global_id(to_global_id("Nope", "1"), "ids")
    assert unknown.value.field == "ids" and unknown.value.value == to_global_id("Nope", "1")
    assert "unknown kind 'Nope'" in str(unknown.value)
    with pytest.raises(InvalidInput) as empty:
        from_global_id(to_global_id("Rep", " "))
    assert empty.value.field == "id" and "Rep" in str(empty.value)

"""The pure rules of the nodes' lifecycle (services/writes.py, services/lifecycle.py): how a
merge folds a duplicate link, which recorded values an erasure blanks, how an id becomes one
Lucene term."""

from __future__ import annotations

from datetime import UTC, date, datetime

import orjson

from graph_api.domain.writes import EntityKind
from graph_api.services.lifecycle import lucene_term
from graph_api.services.write_input import section_of
from graph_api.services.writes import (
    BOOKKEEPING,
    ERASED_PERSON_FIELDS,
    ERASED_VALUE,
    KEPT_PERSON_FIELDS,
    _blanked,
    _combined_link,
)

NOW = datetime(2026, 12, 5, tzinfo=UTC)


def test_a_folded_link_keeps_the_survivors_values_the_larger_strength_the_earlier_since() -> None:
    kept = {"strength": 0.3, "since": date(2020, 1, 1), "version": 2}
    other = {"strength": 0.9, "since": date(2018, 5, 1), "kind": "PERSONAL", "version": 7}
    assert _combined_link(kept, other, NOW) == {
        "strength": 0.9,
        "since": date(2018, 5, 1),
        "kind": "PERSONAL",
        "version": 3,  # the survivor's link's version, +1
        "updatedAt": NOW,
    }
    # Nothing to add: the survivor's link as it is (no new version).
    assert _combined_link({"strength": 0.9}, {"strength": 0.1}, NOW) == {"strength": 0.9}


def changes(*items: tuple[str, object, object]) -> str:
    return orjson.dumps([{"field": f, "before": b, "after": a} for f, b, a in items]).decode()


def test_an_erasure_blanks_the_persons_values_and_nothing_else() -> None:
    own = changes(("phone", "1", "2"), ("tier", None, "STRATEGIC"))
    blanked = _blanked(own, "PERSON", '{"id": "p-1"}', "p-1")
    assert blanked is not None
    assert orjson.loads(blanked) == [
        {"field": "phone", "before": ERASED_VALUE, "after": ERASED_VALUE},
        {"field": "tier", "before": None, "after": "STRATEGIC"},  # kept: not personal
    ]
    # Another person's entry filed under this one (a link's): untouched.
    assert _blanked(own, "PERSON", '{"id": "p-2"}', "p-1") is None
    # A private link: every value; an interaction: its text; a job: nothing.
    family = _blanked(changes(("kind", None, "SPOUSE")), "FAMILY", "{}", "p-1")
    assert family is not None and ERASED_VALUE in family and "SPOUSE" not in family
    visit = _blanked(
        changes(("subject", None, "见张三"), ("kind", None, "VISIT")), "INTERACTION", "{}", "p-1"
    )
    assert visit is not None and "见张三" not in visit and "VISIT" in visit
    assert _blanked(changes(("title", None, "CFO")), "EMPLOYMENT", "{}", "p-1") is None
    # Already blanked: nothing to write.
    assert (
        _blanked(changes(("phone", ERASED_VALUE, None)), "PERSON", '{"id": "p-1"}', "p-1") is None
    )


def test_every_person_field_is_either_kept_or_erased() -> None:
    declared = {f.name for f in section_of(EntityKind.PERSON).fields if f.stored} - BOOKKEEPING
    assert declared == (KEPT_PERSON_FIELDS | set(ERASED_PERSON_FIELDS) | {"name"}) - BOOKKEEPING
    assert {"phone", "email", "wechatId", "homeAddress", "birthDate", "aliases"} <= set(
        ERASED_PERSON_FIELDS
    )


def test_an_id_is_one_lucene_term() -> None:
    assert lucene_term("org-huasheng-sh") == "org\\-huasheng\\-sh"
    assert lucene_term("a b:c") == "a\\ b\\:c"
    assert lucene_term("张立") == "张立"
    assert lucene_term("user") == "user"  # no \u escape
    assert lucene_term("NOT") == "\\NOT"

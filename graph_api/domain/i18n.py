"""Languages of user-visible text: Accept-Language negotiation and the enums' display labels."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar


class Language(StrEnum):
    EN = "en"
    ZH = "zh"


# Existing clients send no Accept-Language (or an English one) and must see no change.
DEFAULT_LANGUAGE = Language.EN
# The longest header we parse; browsers send a few dozen characters.
_MAX_HEADER = 512


def negotiate(accept_language: str | None) -> Language:
    """The supported language the client prefers most (RFC 9110 q-values; ties by order).

    Only the primary tag counts (zh-CN, zh-TW, zh-Hans are all Chinese); `*` stands for the
    default; a range with q=0 is refused; malformed ranges are skipped, not errors, as
    browsers are the main senders and a header is never a reason to fail a request.
    """
    if not accept_language:
        return DEFAULT_LANGUAGE
    best: tuple[float, int, Language] | None = None
    for position, part in enumerate(accept_language[:_MAX_HEADER].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if not 0 < quality <= 1:
            continue
        primary = tag.strip().lower().split("-")[0]
        language = DEFAULT_LANGUAGE if primary == "*" else _SUPPORTED.get(primary)
        if language is None:
            continue
        # Higher quality wins; at equal quality the range named first.
        key = (quality, -position, language)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else DEFAULT_LANGUAGE


_SUPPORTED = {language.value: language for language in Language}


@dataclass(frozen=True, slots=True)
class Label:
    """An enum value's display label, and optionally a description, in each language."""

    en: str
    zh: str
    en_description: str | None = None
    zh_description: str | None = None

    def label(self, language: Language) -> str:
        return self.zh if language is Language.ZH else self.en

    def description(self, language: Language) -> str | None:
        return self.zh_description if language is Language.ZH else self.en_description


# Every labelled enum, in declaration order: the enum class to its values' labels.
ENUM_LABELS: dict[type[StrEnum], dict[Any, Label]] = {}
# Label sets of string fields with a closed vocabulary (no GraphQL enum), by name.
VALUE_LABELS: dict[str, dict[str, Label]] = {}


E = TypeVar("E", bound=StrEnum)


def labels(enum: type[E], table: dict[E, Label]) -> None:
    """Declares the labels of every value of `enum` (missing or extra values are a bug)."""
    missing = [v.value for v in enum if v not in table]
    if missing:
        raise ValueError(f"{enum.__name__}: no label for {', '.join(missing)}")
    ENUM_LABELS[enum] = dict(table)


def value_labels(name: str, table: dict[str, Label]) -> None:
    """Declares the labels of a string field's closed vocabulary (e.g. RAD cells)."""
    VALUE_LABELS[name] = dict(table)


def enum_label(value: StrEnum, language: Language) -> str:
    """The display label of an enum value in `language`; the value itself if unlabelled."""
    table = ENUM_LABELS.get(type(value))
    found = table.get(value) if table else None
    return found.label(language) if found else value.value

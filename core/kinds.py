"""Enterprise kinds as people write them in registry and plan sheets."""

from __future__ import annotations

import re

from core.models import EnterpriseKind

_SYNONYMS: dict[EnterpriseKind, tuple[str, ...]] = {
    EnterpriseKind.EXECUTIVE: (
        "executive",
        "виконавчий орган",
        "виконавчі органи",
        "орган",
        "управління",
        "відділ",
        "департамент",
    ),
    EnterpriseKind.MUNICIPAL: (
        "municipal",
        "комунальне підприємство",
        "комунальні підприємства",
        "кп",
        "підприємство",
        "підприємства",
    ),
    EnterpriseKind.EDUCATION: (
        "education",
        "освіта",
        "заклад освіти",
        "заклади освіти",
        "школа",
        "школи",
        "освітні",
    ),
    EnterpriseKind.HEALTH: (
        "health",
        "охорона здоров'я",
        "заклад охорони здоров'я",
        "заклади охорони здоров'я",
        "медицина",
        "лікарня",
    ),
    EnterpriseKind.OTHER: ("other", "інше", "інші", "установа", "установи"),
}

_LOOKUP = {word: kind for kind, words in _SYNONYMS.items() for word in words}
_APOSTROPHES = re.compile("[’ʼ`´]")


def normalise_word(text: str) -> str:
    return " ".join(_APOSTROPHES.sub("'", text).casefold().split())


def parse_kind(text: str) -> EnterpriseKind | None:
    """The kind named by a word or code, or None when it is not one we know."""
    return _LOOKUP.get(normalise_word(text))


def parse_kinds(text: str) -> tuple[tuple[EnterpriseKind, ...], list[str]]:
    """Kinds from a comma/semicolon list; also returns the words that were not understood."""
    kinds: list[EnterpriseKind] = []
    unknown: list[str] = []
    for part in re.split(r"[,;/\n]", text):
        if not part.strip():
            continue
        kind = parse_kind(part)
        if kind is None:
            unknown.append(part.strip())
        elif kind not in kinds:
            kinds.append(kind)
    return tuple(kinds), unknown

"""Plan numbering as people write it ("1.", "2.10", "Розділ ІІ.") turned into comparable parts."""

from __future__ import annotations

import re

Number = tuple[int, ...]

_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.?")
_LEADING_NUMBER = re.compile(
    r"^(?P<num>\d{1,3}(?:\.\d{1,3})*)(?P<sep>[.)]?)(?P<gap>\s*)(?P<rest>.*)$", re.DOTALL
)
# Latin and Cyrillic look-alike letters both occur in Ukrainian documents.
_ROMAN_VALUES = {"I": 1, "І": 1, "V": 5, "X": 10, "Х": 10}
_HEADING = re.compile(
    r"^(?:(?P<word>розділ|напрям(?:ок)?)\s*(?:(?P<wnum>[\dIVXІХ]+(?:\.\d+)*)(?!\w))?\.?\s*[:.\-–—]?\s*"
    r"|(?P<roman>[IVXІХ]{1,5})[.)]\s+"
    r"|(?P<num>\d{1,3}(?:\.\d{1,3})*)(?:[.)](?!\d)\s*|\s+))"
    r"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)


def parse_number(raw: str) -> Number | None:
    """The parts of a measure number such as "1", "1.", "2.10", "1.1."; None if it is no number."""
    text = raw.strip().rstrip(")")
    if not _NUMBER.fullmatch(text):
        return None
    return tuple(int(part) for part in text.rstrip(".").split("."))


def parse_heading_number(raw: str) -> Number | None:
    """A section number alone in its cell: "2", "2.", "ІІ." or "II"."""
    number = parse_number(raw)
    if number is not None:
        return number
    return _roman_number(raw.strip().rstrip(".)"))


def format_number(number: Number) -> str:
    return ".".join(str(part) for part in number)


def split_leading_number(text: str) -> tuple[Number | None, str]:
    """Split "3. Провести навчання" into ((3,), "Провести навчання"); other text is left alone."""
    match = _LEADING_NUMBER.match(text)
    if match is None or not match["rest"]:
        return None, text
    if match["sep"]:
        # "3.Текст" is a number; "12.08.2026 року" is a date, not "12." followed by "08...".
        if match["rest"][0].isdigit() and not match["gap"]:
            return None, text
    elif "." not in match["num"] or not match["gap"]:
        # "1 раз на квартал" starts with a count, not a number; "2.1 Текст" is a number.
        return None, text
    return parse_number(match["num"]), match["rest"]


def roman_to_int(raw: str) -> int | None:
    letters = raw.upper()
    if not letters or any(letter not in _ROMAN_VALUES for letter in letters):
        return None
    values = [_ROMAN_VALUES[letter] for letter in letters]
    total = 0
    for index, value in enumerate(values):
        following = values[index + 1] if index + 1 < len(values) else 0
        total += -value if value < following else value
    return total if total > 0 else None


def split_section_heading(text: str) -> tuple[Number | None, str]:
    """Split "Розділ ІІ. Навчання" or "2. Навчання" into its number and title."""
    match = _HEADING.match(text)
    if match is None:
        return None, text
    rest = match["rest"].strip()
    if match["word"]:
        raw = match["wnum"] or ""
        if not raw:
            return None, text
        number = parse_number(raw) if raw[:1].isdigit() else _roman_number(raw)
        return number, rest or text
    if match["roman"]:
        if not rest:
            return None, text
        return _roman_number(match["roman"]), rest
    if not rest:
        return None, text
    return parse_number(match["num"]), rest


def is_section_marker(text: str) -> bool:
    """Whether a heading names itself a section ("Розділ 2", "Напрям ІІ", "ІІІ. Назва")."""
    match = _HEADING.match(text)
    return match is not None and bool(match["word"] or match["roman"])


def _roman_number(raw: str) -> Number | None:
    value = roman_to_int(raw)
    return None if value is None else (value,)

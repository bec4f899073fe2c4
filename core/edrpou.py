"""ЄДРПОУ codes: the 8-digit identifiers of Ukrainian legal entities and their check digit."""

from __future__ import annotations


def _weighted(digits: list[int], weights: list[int]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 11


def check_digit(first7: str) -> int:
    """The check digit for the first seven digits, by the published weighted-sum rule."""
    digits = [int(c) for c in first7]
    code = int(first7 + "0")
    # The weights depend on which numbering range the code falls into.
    outside = code < 30_000_000 or code > 60_000_000
    base = [1, 2, 3, 4, 5, 6, 7] if outside else [7, 1, 2, 3, 4, 5, 6]
    rest = _weighted(digits, base)
    if rest >= 10:
        rest = _weighted(digits, [w + 2 for w in base])
        if rest >= 10:
            rest = 0
    return rest


def is_valid(code: str) -> bool:
    """True for exactly eight digits whose last digit is the right check digit."""
    if len(code) != 8 or not code.isascii() or not code.isdigit():
        return False
    return check_digit(code[:7]) == int(code[7])


def with_check_digit(first7: str) -> str:
    """Complete seven digits into a valid code (used to invent fictional enterprises)."""
    return first7 + str(check_digit(first7))

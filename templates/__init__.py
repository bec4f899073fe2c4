"""Every user-visible text: Jinja2 templates and the one function that renders them."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_environment,
    select_autoescape,
)
from jinja2.filters import do_truncate

from core.questionnaire import whole_number_problem

TEMPLATES_DIR = Path(__file__).resolve().parent


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )
    env.filters["plural"] = plural
    env.filters["form"] = form
    env.filters["amount"] = amount
    env.filters["truncate"] = _truncate
    env.filters["plan_rest"] = plan_rest
    # What is wrong with a typed indicator value, so its message can say it (not_a_number.html).
    env.filters["number_problem"] = whole_number_problem
    return env


_PLAN_WORDS = "план заходів"


def plan_rest(title: str) -> str:
    """A plan's title after «План заходів», so «про виконання плану заходів …» never doubles it."""
    title = title.strip()
    if title.lower().startswith(_PLAN_WORDS):
        return title[len(_PLAN_WORDS) :].strip()
    return title


@pass_environment
def _truncate(
    env: Environment,
    text: str,
    length: int = 255,
    killwords: bool = False,
    end: str = "…",
    leeway: int | None = None,
) -> str:
    """Jinja's truncate, ending with «…» as Ukrainian typography does, not with "..."."""
    return str(do_truncate(env, text, length, killwords, end, leeway))


@cache
def _unit_forms() -> dict[str, tuple[str, str, str]]:
    with (TEMPLATES_DIR / "units.csv").open(encoding="utf-8", newline="") as source:
        return {
            row["unit"]: (row["one"], row["few"], row["many"]) for row in csv.DictReader(source)
        }


def amount(count: int, unit: str) -> str:
    """A count with its unit agreeing: "1 особа", "5 осіб"; an abbreviation ("од.") as is.

    Units that are nouns are listed with their three forms in templates/units.csv.
    """
    forms = _unit_forms().get(unit.strip())
    if forms is not None:
        return plural(count, *forms)
    return f"{count} {unit}".strip()


def form(count: int, one: str, few: str, many: str) -> str:
    """The word agreeing with ``count`` (a noun, or a verb: «залишився» / «залишилося»)."""
    tail, tens = count % 10, count % 100
    if tail == 1 and tens != 11:
        return one
    if 2 <= tail <= 4 and not 12 <= tens <= 14:
        return few
    return many


def plural(count: int, one: str, few: str, many: str) -> str:
    """ "{{ n|plural('захід', 'заходи', 'заходів') }}" → "1 захід", "3 заходи", "5 заходів"."""
    return f"{count} {form(count, one, few, many)}"


def render(name: str, /, **context: Any) -> str:
    """Render a template by its path under templates/, stripped of surrounding blank lines.

    Files ending in .html are rendered for Telegram's HTML parse mode and autoescape every
    value; .txt files are plain text (CLI output, captions without markup, documents).
    """
    return environment().get_template(name).render(**context).strip()

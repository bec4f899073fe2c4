"""Every user-visible text: Jinja2 templates and the one function that renders them."""

from __future__ import annotations

import csv
import html
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
    env.filters["lower_first"] = lower_first
    env.filters["plain_text"] = plain_text
    env.filters["truncate"] = _truncate
    env.filters["plan_rest"] = plan_rest
    # What is wrong with a typed indicator value, so its message can say it (not_a_number.html).
    env.filters["number_problem"] = whole_number_problem
    return env


_PLAN_WORDS = "план заходів"


def plan_rest(title: str) -> str:
    """What follows «плану заходів» in a document's heading, so the words never double and the
    case holds: the title's own words after «План заходів», nothing for the bare «План
    заходів», or a title of another shape in brackets («плану заходів (Антикорупційна …)»)."""
    title = " ".join(title.split())
    if title.lower().startswith(_PLAN_WORDS):
        return title[len(_PLAN_WORDS) :].strip()
    return f"({title})" if title else ""


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
    A non-breaking space holds them together, so a justified document never parts them.

    Units that are nouns are listed with their three forms in templates/units.csv.
    """
    forms = _unit_forms().get(unit.strip())
    word = form(count, *forms) if forms is not None else unit.strip()
    return f"{count}\u00a0{word}" if word else str(count)


def plain_text(rendered_html: str) -> str:
    """An .html partial's output for the console: the entities its autoescape wrote for
    Telegram («Об&#39;єднання &amp; Ко») read back as typed. Wrap an include in it:
    {% filter plain_text %}{% include "x.html" %}{% endfilter %} (tags are left as they are)."""
    return html.unescape(rendered_html)


def lower_first(text: str) -> str:
    """A label continuing a sentence («…: надано консультацій — 7 од.;»): its first letter in
    lower case, unless it starts an abbreviation («НАЗК», «ЦНАП»), which keeps its capitals."""
    if text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


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

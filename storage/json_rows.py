"""Whole rows as JSON objects inside one SELECT, so one statement (one trip to aiosqlite's
thread) can read a row with the rows it owns, each decoded by the table's own `*_from_row`.

The column lists come from the schema itself (`pragma_table_info`), read once per connection:
a migration that adds a column needs no edit here, and a decoder sees the keys `SELECT *`
would give it.
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Iterator, Mapping
from typing import Any

import aiosqlite

from storage.database import fetch_all

# What a column or alias may be, to be formatted into SQL (our schema's names all are).
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Per connection: each table's `json_object('col', {alias}.col, …)` template.
_templates: weakref.WeakKeyDictionary[aiosqlite.Connection, dict[str, str]] = (
    weakref.WeakKeyDictionary()
)


async def json_object_sql(conn: aiosqlite.Connection, table: str, alias: str) -> str:
    """SQL for the row of `table` named `alias` as a JSON object of all its columns."""
    if not _NAME.fullmatch(alias):
        raise ValueError(f"not a plain alias: {alias!r}")
    known = _templates.setdefault(conn, {})
    template = known.get(table)
    if template is None:
        rows = await fetch_all(conn, "SELECT name FROM pragma_table_info(?)", (table,))
        if not rows:
            raise LookupError(f"no table {table!r}")
        if not all(_NAME.fullmatch(row["name"]) for row in rows):
            raise ValueError(f"a column of {table!r} is not a plain name")
        pairs = ", ".join(f"'{row['name']}', {{alias}}.\"{row['name']}\"" for row in rows)
        template = known[table] = f"json_object({pairs})"
    return template.format(alias=alias)


def one(text: str | None) -> Mapping[str, Any] | None:
    """A row packed by `json_object_sql`, or None for no row."""
    return None if text is None else dict(json.loads(text))


def many(text: str | None) -> Iterator[Mapping[str, Any]]:
    """Rows packed with `json_group_array(json_object_sql…)`; none for NULL."""
    if text is None:
        return iter(())
    return (dict(item) for item in json.loads(text))

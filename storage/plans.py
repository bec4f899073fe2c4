"""Plans: versions, measures and indicators (uploads awaiting confirmation: plan_uploads)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import aiosqlite

from core.models import (
    EnterpriseKind,
    IndicatorDef,
    Measure,
    Plan,
    PlanDraft,
)
from storage import audit
from storage.codec import parse_day, ts
from storage.database import connection_cache, fetch_all, fetch_one, forget_cached


def plan_from_row(row: aiosqlite.Row) -> Plan:
    return Plan(
        id=row["id"],
        title=row["title"],
        year_from=row["year_from"],
        year_to=row["year_to"],
        version=row["version"],
        order_number=row["order_number"],
        order_date=parse_day(row["order_date"]),
        active=bool(row["active"]),
    )


def measure_from_row(row: aiosqlite.Row) -> Measure:
    kinds = tuple(EnterpriseKind(k) for k in row["kinds"].split(",") if k)
    return Measure(
        id=row["id"],
        plan_id=row["plan_id"],
        section_number=row["section_number"],
        section_title=row["section_title"],
        number=row["number"],
        text=row["text"],
        term=row["term"],
        responsible=row["responsible"],
        indicator=row["indicator"],
        kinds=kinds,
        position=row["position"],
        subsection_number=row["subsection_number"],
        subsection_title=row["subsection_title"],
    )


async def save_plan(
    conn: aiosqlite.Connection,
    draft: PlanDraft,
    *,
    years: tuple[int, int],
    indicators: tuple[IndicatorDef, ...],
    source_name: str,
    actor_id: int | None,
    now: datetime,
) -> Plan:
    """Store a plan as a new version, with exactly `indicators`, and make it the active one for
    its years (the order that approved the version it replaces carries over)."""
    forget_cached(conn)  # the measures and indicators read before are not these
    row = await fetch_one(conn, "SELECT COALESCE(MAX(version), 0) + 1 FROM plans", ())
    version = int(row[0]) if row else 1
    previous = await replaced_plan(conn, years)
    await conn.execute(
        "UPDATE plans SET active = 0 WHERE active = 1 AND year_from <= ? AND year_to >= ?",
        (years[1], years[0]),
    )
    cursor = await conn.execute(
        "INSERT INTO plans (title, order_number, order_date, year_from, year_to, version, active,"
        " source_name, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
        (
            draft.title,
            previous.order_number if previous else "",
            previous.order_date.isoformat() if previous and previous.order_date else None,
            years[0],
            years[1],
            version,
            source_name,
            ts(now),
            actor_id,
        ),
    )
    plan_id = int(cursor.lastrowid or 0)
    position = 0
    for section in draft.sections:
        for measure in section.measures:
            position += 1
            await conn.execute(
                "INSERT INTO measures (plan_id, position, section_number, section_title,"
                " subsection_number, subsection_title,"
                " number, text, term, responsible, indicator, kinds)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    plan_id,
                    position,
                    section.number,
                    section.title,
                    measure.subsection_number,
                    measure.subsection_title,
                    measure.number,
                    measure.text,
                    measure.term,
                    measure.responsible,
                    measure.indicator,
                    ",".join(kind.value for kind in measure.kinds),
                ),
            )
    await replace_indicators(conn, plan_id, indicators)
    plan = await get_plan(conn, plan_id)
    assert plan is not None
    await audit.record(
        conn,
        at=now,
        actor_id=actor_id,
        action="plan.create",
        entity="plan",
        entity_id=plan_id,
        after={**(audit.snapshot(plan) or {}), "measures": position, "source": source_name},
    )
    return plan


async def replaced_plan(conn: aiosqlite.Connection, years: tuple[int, int]) -> Plan | None:
    """The active plan that a plan of these years would replace (the newest overlapping them)."""
    row = await fetch_one(
        conn,
        "SELECT * FROM plans WHERE active = 1 AND year_from <= ? AND year_to >= ?"
        " ORDER BY version DESC LIMIT 1",
        (years[1], years[0]),
    )
    return plan_from_row(row) if row else None


async def replaced_indicators(
    conn: aiosqlite.Connection, years: tuple[int, int]
) -> tuple[IndicatorDef, ...]:
    """What the plan a plan of these years would replace asks (none if there is no such plan)."""
    previous = await replaced_plan(conn, years)
    return await indicators(conn, previous.id) if previous else ()


async def replace_indicators(
    conn: aiosqlite.Connection, plan_id: int, indicators: tuple[IndicatorDef, ...]
) -> None:
    forget_cached(conn)  # the measures and indicators read before are not these
    await conn.execute("DELETE FROM indicators WHERE plan_id = ?", (plan_id,))
    for position, indicator in enumerate(indicators, start=1):
        await conn.execute(
            "INSERT INTO indicators (plan_id, position, code, label, unit, measure_number)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                plan_id,
                position,
                indicator.code,
                indicator.label,
                indicator.unit,
                indicator.measure_number,
            ),
        )


async def get_plan(conn: aiosqlite.Connection, plan_id: int) -> Plan | None:
    row = await fetch_one(conn, "SELECT * FROM plans WHERE id = ?", (plan_id,))
    return plan_from_row(row) if row else None


async def active_plan(conn: aiosqlite.Connection, year: int) -> Plan | None:
    row = await fetch_one(
        conn,
        "SELECT * FROM plans WHERE active = 1 AND year_from <= ? AND year_to >= ?"
        " ORDER BY version DESC LIMIT 1",
        (year, year),
    )
    return plan_from_row(row) if row else None


async def latest_active_plan(conn: aiosqlite.Connection) -> Plan | None:
    row = await fetch_one(
        conn, "SELECT * FROM plans WHERE active = 1 ORDER BY year_to DESC, version DESC LIMIT 1"
    )
    return plan_from_row(row) if row else None


async def measures(
    conn: aiosqlite.Connection, plan_id: int, *, version: int | None = None
) -> list[Measure]:
    """The plan's measures in order; kept per connection until the plans change
    (`storage.database.connection_cache`, which `version` is passed to), since every
    questionnaire update reads them."""
    cache = await connection_cache(conn, version)
    found: list[Measure] | None = cache.get(("measures", plan_id))
    if found is None:
        rows = await fetch_all(
            conn, "SELECT * FROM measures WHERE plan_id = ? ORDER BY position", (plan_id,)
        )
        found = cache[("measures", plan_id)] = [measure_from_row(row) for row in rows]
    return list(found)


async def get_measure(conn: aiosqlite.Connection, measure_id: int) -> Measure | None:
    row = await fetch_one(conn, "SELECT * FROM measures WHERE id = ?", (measure_id,))
    return measure_from_row(row) if row else None


async def indicators(
    conn: aiosqlite.Connection, plan_id: int, *, version: int | None = None
) -> tuple[IndicatorDef, ...]:
    """The plan's indicators in order, kept like `measures`."""
    cache = await connection_cache(conn, version)
    found: tuple[IndicatorDef, ...] | None = cache.get(("indicators", plan_id))
    if found is None:
        found = cache[("indicators", plan_id)] = await _read_indicators(conn, plan_id)
    return found


async def _read_indicators(conn: aiosqlite.Connection, plan_id: int) -> tuple[IndicatorDef, ...]:
    rows = await fetch_all(
        conn, "SELECT * FROM indicators WHERE plan_id = ? ORDER BY position", (plan_id,)
    )
    return tuple(
        IndicatorDef(
            code=r["code"],
            label=r["label"],
            unit=r["unit"],
            position=r["position"],
            measure_number=r["measure_number"],
        )
        for r in rows
    )


async def attach_indicator(
    conn: aiosqlite.Connection,
    plan_id: int,
    indicator: IndicatorDef,
    measure_number: str,
    *,
    actor_id: int | None,
    now: datetime,
) -> IndicatorDef:
    """Make an indicator belong to a measure ("" detaches it); audited."""
    forget_cached(conn)  # the measures and indicators read before are not these
    await conn.execute(
        "UPDATE indicators SET measure_number = ? WHERE plan_id = ? AND code = ?",
        (measure_number, plan_id, indicator.code),
    )
    after = replace(indicator, measure_number=measure_number)
    await audit.record(
        conn,
        at=now,
        actor_id=actor_id,
        action="indicator.measure",
        entity="plan",
        entity_id=plan_id,
        before=indicator,
        after=after,
    )
    return after


async def set_order(
    conn: aiosqlite.Connection,
    plan: Plan,
    number: str,
    when: date,
    *,
    actor_id: int | None,
    now: datetime,
) -> Plan:
    forget_cached(conn)  # the measures and indicators read before are not these
    return await audit.updated(
        conn,
        "UPDATE plans SET order_number = ?, order_date = ? WHERE id = ?",
        (number, when.isoformat(), plan.id),
        before=plan,
        reread=get_plan,
        action="plan.order",
        entity="plan",
        actor_id=actor_id,
        now=now,
    )


async def set_measure_kinds(
    conn: aiosqlite.Connection,
    measure: Measure,
    kinds: tuple[EnterpriseKind, ...],
    *,
    actor_id: int | None,
    now: datetime,
) -> Measure:
    forget_cached(conn)  # the measures and indicators read before are not these
    return await audit.updated(
        conn,
        "UPDATE measures SET kinds = ? WHERE id = ?",
        (",".join(kind.value for kind in kinds), measure.id),
        before=measure,
        reread=get_measure,
        action="measure.kinds",
        entity="measure",
        actor_id=actor_id,
        now=now,
    )

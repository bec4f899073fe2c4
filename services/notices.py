"""Notices to the people who may fill a report: its enterprise's persons and any substitute."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import aiosqlite

from core.calendar import WorkCalendar
from core.models import Enterprise, Person, Report
from services import notify
from storage import registry


async def fillers(conn: aiosqlite.Connection, report: Report) -> list[Person]:
    """Everyone who may fill this report and can be written to: its persons and a substitute."""
    people = list(await registry.persons_of(conn, report.enterprise_id))
    if report.assignee_id is not None:
        substitute = await registry.get_person(conn, report.assignee_id)
        if substitute is not None and substitute not in people:
            people.append(substitute)
    return [p for p in people if p.fills_reports and p.reachable]


async def _notify(
    conn: aiosqlite.Connection,
    person: Person,
    text: str,
    key: str,
    calendar: WorkCalendar,
    now: datetime,
    markup: dict[str, object] | None = None,
) -> None:
    assert person.telegram_id is not None
    await notify.send(
        conn,
        key=notify.notice_key(key, person.id),
        kind=notify.Kind.NOTICE,
        chat_id=person.telegram_id,
        person_id=person.id,
        letter=notify.Letter(text, markup),
        calendar=calendar,
        now=now,
    )


async def notify_fillers(
    conn: aiosqlite.Connection,
    report: Report,
    text: str,
    key: str,
    calendar: WorkCalendar,
    now: datetime,
    markup: dict[str, object] | None = None,
) -> None:
    """Queue a message to everyone who may fill this report: its persons and any substitute."""
    for person in await fillers(conn, report):
        await _notify(conn, person, text, key, calendar, now, markup)


async def notify_fillers_once(
    conn: aiosqlite.Connection,
    reports: Sequence[Report],
    text_for: Callable[[list[Enterprise]], str],
    key: str,
    calendar: WorkCalendar,
    now: datetime,
) -> None:
    """One message per person about several reports, naming every organisation it concerns.

    A substitute who may fill three reports gets one notice, not three.
    """
    concerns: dict[int, tuple[Person, list[Enterprise]]] = {}
    for report in reports:
        enterprise = await registry.get_enterprise(conn, report.enterprise_id)
        if enterprise is None:
            continue
        for person in await fillers(conn, report):
            concerns.setdefault(person.id, (person, []))[1].append(enterprise)
    for person, enterprises in concerns.values():
        await _notify(conn, person, text_for(enterprises), key, calendar, now)

"""Opening rounds of report collection: from /round's form, and the round that opens by
itself; and the invitations a round and a newly connected person get.

`_open` is the one opener, for both (/round's other controls: `services.round_control`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

import aiosqlite

from core.calendar import WorkCalendar
from core.clock import Clock
from core.deadlines import DeadlineRule, auto_open_due
from core.models import Enterprise, Measure, Person, Report, Round
from core.periods import Period
from core.questionnaire import applicable
from services import notify
from services.deps import Deps
from storage import audit, plans, registry, reporting
from storage import rounds as round_rows
from storage.database import Database
from templates import render
from ui.keyboards import as_payload, open_report

log = logging.getLogger(__name__)


class Refusal(Enum):
    NO_PLAN = "no_plan"  # no active plan covers the period's year
    EXISTS = "exists"  # the period has a round already


@dataclass(frozen=True, slots=True)
class Opened:
    round: Round
    reports: int  # one per active enterprise, made just now
    notified: int  # persons invited
    unbound: int  # persons who fill reports but have not connected yet


# --- The round that opens by itself -----------------------------------------------------------


async def auto_open(
    db: Database,
    clock: Clock,
    *,
    calendar: WorkCalendar,
    rule: DeadlineRule,
    days_before: int,
) -> list[Round]:
    """Open the quarter's round `days_before` days before its default deadline
    (`core.deadlines.auto_open_due`), audited. Idempotent through the rounds' UNIQUE period
    key; one transaction per quarter due (at most two)."""
    now = clock.now()
    opened = []
    for period, deadline in auto_open_due(calendar.local_date(now), rule, calendar, days_before):
        async with db.transaction() as conn:
            round_ = await _open_by_itself(conn, period, deadline, calendar, now, days_before)
        if round_ is not None:
            opened.append(round_)
    return opened


async def _open_by_itself(
    conn: aiosqlite.Connection,
    period: Period,
    deadline: date,
    calendar: WorkCalendar,
    now: datetime,
    days_before: int,
) -> Round | None:
    if await round_rows.round_for(conn, period) is not None:
        return None
    opened = await _open(conn, period, deadline, actor_id=None, calendar=calendar, now=now)
    if isinstance(opened, Refusal):
        return None
    await audit.record(
        conn,
        at=now,
        actor_id=None,
        action="round.auto_open",
        entity="round",
        entity_id=opened.round.id,
        after={"period": period.code, "days_before": days_before, "invited": opened.notified},
    )
    log.info(
        "round %s for %s opened by itself, %d invited",
        opened.round.id,
        period.code,
        opened.notified,
    )
    return opened.round


# --- Opening and invitations ------------------------------------------------------------------


async def open_round(
    deps: Deps, period: Period, deadline: date, *, actor_id: int
) -> Opened | Refusal:
    """The coordinator opens the period's round from the form."""
    async with deps.db.transaction() as conn:
        opened = await _open(
            conn, period, deadline, actor_id=actor_id, calendar=deps.calendar, now=deps.now()
        )
    if not isinstance(opened, Refusal):
        log.info("round %s opened for %s", opened.round.id, period.code)
    return opened


async def _open(
    conn: aiosqlite.Connection,
    period: Period,
    deadline: date,
    *,
    actor_id: int | None,
    calendar: WorkCalendar,
    now: datetime,
) -> Opened | Refusal:
    """Open the period's round on the active plan, a report per active enterprise, and invite
    everyone who fills one. `actor_id` is None for the round that opens by itself."""
    plan = await plans.active_plan(conn, period.year)
    if plan is None:
        return Refusal.NO_PLAN
    enterprises = await registry.list_enterprises(conn, active_only=True)
    round_ = await round_rows.open_round(
        conn,
        plan_id=plan.id,
        period=period,
        deadline=deadline,
        enterprise_ids=[e.id for e in enterprises],
        actor_id=actor_id,
        now=now,
    )
    if round_ is None:
        return Refusal.EXISTS
    notified, unbound = await invite_to_round(conn, round_, calendar, now)
    return Opened(round_, len(enterprises), notified, unbound)


async def invite_to_round(
    conn: aiosqlite.Connection, round_: Round, calendar: WorkCalendar, now: datetime
) -> tuple[int, int]:
    """Queue one opening message per bound active person; return (queued, not bound)."""
    measures = await plans.measures(conn, round_.plan_id)
    queued = unbound = 0
    for report in await reporting.reports_of_round(conn, round_.id):
        enterprise = await registry.get_enterprise(conn, report.enterprise_id)
        assert enterprise is not None
        for person in await registry.persons_of(conn, enterprise.id):
            if not person.fills_reports:
                continue
            if person.telegram_id is None:
                unbound += 1
                continue
            await _invite(conn, round_, report, enterprise, person, measures, calendar, now)
            queued += 1
    return queued, unbound


async def invite_newcomer(
    conn: aiosqlite.Connection, person: Person, calendar: WorkCalendar, now: datetime
) -> Round | None:
    """A person who connects while a round is open gets its invitation now; the round, if any.

    The dedupe key is the opening's own, so nobody is invited twice.
    """
    if person.enterprise_id is None or person.telegram_id is None or not person.fills_reports:
        return None
    enterprise = await registry.get_enterprise(conn, person.enterprise_id)
    for round_ in await round_rows.open_rounds(conn):
        for report in await reporting.reports_of_round(conn, round_.id):
            if enterprise is not None and report.enterprise_id == enterprise.id:
                measures = await plans.measures(conn, round_.plan_id)
                await _invite(conn, round_, report, enterprise, person, measures, calendar, now)
                return round_
    return None


async def _invite(
    conn: aiosqlite.Connection,
    round_: Round,
    report: Report,
    enterprise: Enterprise,
    person: Person,
    measures: Sequence[Measure],
    calendar: WorkCalendar,
    now: datetime,
) -> None:
    assert person.telegram_id is not None
    text = render(
        "rounds/invitation.html",
        period=round_.period,
        enterprise=enterprise,
        measures=len(applicable(measures, enterprise.kind)),
        deadline=round_.deadline,
    )
    await notify.send(
        conn,
        key=notify.round_open_key(round_.id, person.id),
        kind=notify.Kind.ROUND_OPEN,
        chat_id=person.telegram_id,
        person_id=person.id,
        letter=notify.Letter(text, as_payload(open_report(report.id))),
        calendar=calendar,
        now=now,
    )

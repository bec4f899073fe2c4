"""/round's form and controls: what a round for a period would hold, the open rounds'
progress, extending a deadline and closing a round (opening is `services.rounds.open_round`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import aiosqlite

from core.calendar import WorkCalendar
from core.deadlines import deadline_for, extended_deadline
from core.models import PeriodKind, Plan, Round, RoundState
from core.periods import Period
from core.progress import RoundProgress, filling
from services.deps import Deps
from services.notices import notify_fillers_once
from storage import plans, registry, reporting
from storage import rounds as round_rows
from templates import render


@dataclass(frozen=True, slots=True)
class Draft:
    """The form that opens a round: the period, the deadline, and what the round would hold.

    `choices` are the periods offered, each with its default deadline; `plan` is None when no
    active plan covers the period's year (then the round cannot be opened).
    """

    period: Period
    deadline: date
    choices: tuple[tuple[Period, date], ...]
    plan: Plan | None
    measures: int = 0
    enterprises: int = 0
    bound: int = 0  # persons who fill reports and have connected
    working: bool = True  # the deadline is a working day


@dataclass(frozen=True, slots=True)
class Tally:
    """A round with how far it has got."""

    round: Round
    progress: RoundProgress


@dataclass(frozen=True, slots=True)
class CloseQuestion:
    """«Закрити збір?»: how many reports are still being filled, and how many not started."""

    round: Round
    filling: int
    not_started: int


# --- /round -----------------------------------------------------------------------------------


async def overview(deps: Deps) -> tuple[Tally, ...] | Draft:
    """/round: every open round with its progress, or, with none open, the form for the
    current quarter with its default deadline."""
    today = deps.calendar.local_date(deps.now())
    async with deps.db.reading() as conn:
        current = await round_rows.open_rounds(conn)
        if current:
            return tuple([await _tally(conn, round_) for round_ in current])
        return await _draft(conn, deps, Period.containing(today, PeriodKind.QUARTER))


async def draft(deps: Deps, period: Period, deadline: date) -> Draft:
    """The form for `period` with `deadline` (changed by its buttons)."""
    async with deps.db.reading() as conn:
        return await _draft(conn, deps, period, deadline)


async def next_draft(deps: Deps, round_id: int) -> Draft | None:
    """The form for the period after a round's, with its default deadline; None if no round."""
    async with deps.db.reading() as conn:
        round_ = await round_rows.get_round(conn, round_id)
        if round_ is None:
            return None
        return await _draft(conn, deps, _following(round_.period))


async def tally(deps: Deps, round_id: int) -> Tally | None:
    async with deps.db.reading() as conn:
        round_ = await round_rows.get_round(conn, round_id)
        return None if round_ is None else await _tally(conn, round_)


async def extend(deps: Deps, round_id: int, days: int, *, actor_id: int) -> Tally | None:
    """Move an open round's deadline by `days`, onto a working day by the deadline rule
    (`core.deadlines.extended_deadline`), and tell those who owe a report, once each.
    A closed round stays as it is; None if there is no such round."""
    now = deps.now()
    async with deps.db.transaction() as conn:
        round_ = await round_rows.get_round(conn, round_id)
        if round_ is None:
            return None
        if round_.state is RoundState.OPEN:
            deadline = extended_deadline(round_.deadline, days, deps.deadline_rule, deps.calendar)
            round_ = await round_rows.set_deadline(
                conn, round_, deadline, actor_id=actor_id, now=now
            )
            await _announce_extension(conn, round_, deps.calendar, now)
        return await _tally(conn, round_)


async def close_question(deps: Deps, round_id: int) -> CloseQuestion | None:
    async with deps.db.reading() as conn:
        round_ = await round_rows.get_round(conn, round_id)
        if round_ is None:
            return None
        reports = await reporting.reports_of_round(conn, round_.id)
    return CloseQuestion(round_, len(filling(reports)), RoundProgress.of(reports).not_started)


async def close(deps: Deps, round_id: int, *, actor_id: int) -> Round | None:
    """Close an open round and tell those still filling a report, once each; None if none."""
    now = deps.now()
    async with deps.db.transaction() as conn:
        round_ = await round_rows.get_round(conn, round_id)
        if round_ is not None and round_.state is RoundState.OPEN:
            round_ = await round_rows.close_round(conn, round_, actor_id=actor_id, now=now)
            await _announce_closing(conn, round_, deps.calendar, now)
        return round_


async def _tally(conn: aiosqlite.Connection, round_: Round) -> Tally:
    return Tally(round_, RoundProgress.of(await reporting.reports_of_round(conn, round_.id)))


def _choices(year: int) -> list[Period]:
    quarters = [Period.quarter(year, n) for n in range(1, 5)]
    return [*quarters, Period.half(year, 1), Period.half(year, 2), Period.whole_year(year)]


def _following(period: Period) -> Period:
    return Period.containing(period.end + timedelta(days=1), period.kind)


async def _draft(
    conn: aiosqlite.Connection, deps: Deps, period: Period, deadline: date | None = None
) -> Draft:
    """The form for `period`; without a `deadline`, with the period's default one."""
    rule, calendar = deps.deadline_rule, deps.calendar
    if deadline is None:
        deadline = deadline_for(period, rule, calendar)
    choices = tuple((p, deadline_for(p, rule, calendar)) for p in _choices(period.year))
    plan = await plans.active_plan(conn, period.year)
    if plan is None:
        return Draft(period, deadline, choices, None)
    measures = await plans.measures(conn, plan.id)
    enterprises = await registry.list_enterprises(conn, active_only=True)
    persons = await registry.list_persons(conn)
    return Draft(
        period,
        deadline,
        choices,
        plan,
        measures=len(measures),
        enterprises=len(enterprises),
        bound=sum(1 for p in persons if p.telegram_id is not None and p.fills_reports),
        working=calendar.is_working_day(deadline),
    )


async def _announce_closing(
    conn: aiosqlite.Connection, round_: Round, calendar: WorkCalendar, now: datetime
) -> None:
    """Tell those with a report in progress that it can no longer be handed in, once each."""
    period = round_.period
    await notify_fillers_once(
        conn,
        filling(await reporting.reports_of_round(conn, round_.id)),
        lambda enterprises: render(
            "rounds/closed_notice.html",
            period=period,
            names=[e.display_name for e in enterprises],
        ),
        f"closed:{round_.id}",
        calendar,
        now,
    )


async def _announce_extension(
    conn: aiosqlite.Connection, round_: Round, calendar: WorkCalendar, now: datetime
) -> None:
    """Tell persons who have not handed in yet that they have more time, once each."""
    period = round_.period
    owing = [r for r in await reporting.reports_of_round(conn, round_.id) if not r.handed_in]
    await notify_fillers_once(
        conn,
        owing,
        lambda enterprises: render(
            "rounds/extended.html",
            period=period,
            deadline=round_.deadline,
            names=[e.display_name for e in enterprises],
        ),
        f"deadline:{round_.id}:{round_.deadline.isoformat()}",
        calendar,
        now,
    )

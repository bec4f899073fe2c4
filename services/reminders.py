"""Reminders: who gets one and what it says, the nudges a coordinator sends, and the daily
escalation list. `ReminderLetters` runs inside the caller's transaction (the ladder's tick,
`services.reminder_ladder`); the coordinator's nudge, /remind's list and the person's snooze
are use cases of their own."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

import aiosqlite

from core.calendar import WorkCalendar
from core.deadlines import days_left, working_days_left
from core.models import Actor, Measure, Person, ReportState, Round, RoundState
from core.questionnaire import applicable, unanswered
from core.reminders import DEADLINE, OVERDUE_PREFIX, PlannedReminder, ReminderPolicy, snooze_until
from services import notify
from services.chase import chase_screen
from services.deps import Deps
from services.notices import notify_fillers_once
from services.rounds import invite_to_round
from storage import answers as answer_rows
from storage import audit, plans, promotions, reporting
from storage import reminders as store
from storage import rounds as round_rows
from storage.reminders import Owing, Snooze
from templates import render
from ui.keyboards import as_payload, reminder_keyboard

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Nudged:
    """What a nudge did: new messages queued, persons already nudged today, and enterprises
    with nobody reachable in Telegram (to phone)."""

    queued: int
    already: int
    unreachable: tuple[str, ...]


class ReminderLetters:
    """Words and queues reminders for the scheduler's jobs, and the coordinators' nudges."""

    def __init__(
        self,
        calendar: WorkCalendar,
        policy: ReminderPolicy,
        coordinator_ids: Collection[int] = (),
    ) -> None:
        self._calendar = calendar
        self._policy = policy
        self._coordinator_ids = frozenset(coordinator_ids)

    async def invite(self, conn: aiosqlite.Connection, round_: Round, now: datetime) -> int:
        queued, _ = await invite_to_round(conn, round_, self._calendar, now)
        return queued

    async def remind(
        self,
        conn: aiosqlite.Connection,
        round_: Round,
        reminder: PlannedReminder,
        now: datetime,
        *,
        skip: frozenset[int] = frozenset(),
    ) -> int:
        mode = "before"
        if reminder.kind == DEADLINE:
            mode = "deadline"
        elif reminder.kind.startswith(OVERDUE_PREFIX):
            mode = "overdue"
        measures = await plans.measures(conn, round_.plan_id)
        overdue = await store.overdue_of(conn, round_.id)
        queued = 0
        for owing in await store.owing(conn, round_.id):
            for person in owing.reachable:
                if person.id in skip:
                    log.info("round %s: person %s snoozed %s", round_.id, person.id, reminder.kind)
                    continue
                queued += await self._queue(
                    conn, round_, owing, person, measures, now,
                    mode=mode, kind=notify.Kind.REMINDER, overdue=person.id in overdue,
                    key=notify.reminder_key(round_.id, person.id, reminder.kind),
                )  # fmt: skip
        if reminder.is_before_deadline or reminder.kind == DEADLINE:
            await self._remind_unsent_changes(conn, round_, now)
        return queued

    async def _remind_unsent_changes(
        self, conn: aiosqlite.Connection, round_: Round, now: datetime
    ) -> None:
        """Once per person and round, before the deadline: changes to a submitted report that
        were never submitted (the department still has the submitted version)."""
        editing = [
            r
            for r in await reporting.reports_of_round(conn, round_.id)
            if r.state is ReportState.SUBMITTED and r.editing
        ]
        period = round_.period
        await notify_fillers_once(
            conn,
            editing,
            lambda enterprises: render(
                "reminders/unsent_changes.html",
                period=period,
                deadline=round_.deadline,
                names=[e.display_name for e in enterprises],
            ),
            f"unsent-edit:{round_.id}",
            self._calendar,
            now,
        )

    async def remind_snoozed(
        self, conn: aiosqlite.Connection, round_: Round, snooze: Snooze, now: datetime
    ) -> bool:
        day = self._calendar.local_date(snooze.until).isoformat()
        measures = await plans.measures(conn, round_.plan_id)
        overdue = await store.overdue_of(conn, round_.id)
        for owing in await store.owing(conn, round_.id):
            for person in owing.reachable:
                if person.id == snooze.person_id:
                    return await self._queue(
                        conn, round_, owing, person, measures, now,
                        mode="snoozed", kind=notify.Kind.REMINDER, overdue=person.id in overdue,
                        key=notify.reminder_key(round_.id, person.id, f"snoozed-{day}"),
                    )  # fmt: skip
        return False

    async def nudge(
        self,
        conn: aiosqlite.Connection,
        round_: Round,
        now: datetime,
        report_ids: Collection[int] | None = None,
    ) -> Nudged:
        """The coordinator's nudge: once per person, round and local day, snooze or not."""
        today = self._calendar.local_date(now)
        measures = await plans.measures(conn, round_.plan_id)
        overdue = await store.overdue_of(conn, round_.id)
        queued = already = 0
        unreachable: list[str] = []
        for owing in await store.owing(conn, round_.id, report_ids):
            if not owing.reachable:
                unreachable.append(owing.enterprise.display_name)
            for person in owing.reachable:
                added = await self._queue(
                    conn, round_, owing, person, measures, now,
                    mode="nudge", kind=notify.Kind.NUDGE, overdue=person.id in overdue,
                    key=notify.nudge_key(round_.id, person.id, today),
                )  # fmt: skip
                queued += added
                already += not added
        return Nudged(queued, already, tuple(unreachable))

    async def escalate(self, conn: aiosqlite.Connection, round_: Round, now: datetime) -> int:
        owing = await store.owing(conn, round_.id)
        if not owing:
            return 0
        marked = {person.id for item in owing for person in item.persons}
        await store.mark_overdue(conn, round_.id, marked, now=now)
        text, markup = await chase_screen(conn, round_, 0, now, self._calendar)
        for chat_id, person_id in await self._coordinators(conn):
            await notify.send(
                conn,
                key=notify.escalation_key(round_.id, chat_id),
                kind=notify.Kind.ESCALATION,
                chat_id=chat_id,
                person_id=person_id,
                letter=notify.Letter(text, as_payload(markup)),
                calendar=self._calendar,
                now=now,
            )
        return len(owing)

    async def _coordinators(self, conn: aiosqlite.Connection) -> list[tuple[int, int | None]]:
        return await promotions.coordinators(conn, self._coordinator_ids)

    async def _queue(
        self,
        conn: aiosqlite.Connection,
        round_: Round,
        owing: Owing,
        person: Person,
        measures: Sequence[Measure],
        now: datetime,
        *,
        mode: str,
        kind: notify.Kind,
        overdue: bool,
        key: str,
    ) -> bool:
        calendar = self._calendar
        assert person.telegram_id is not None
        not_before = calendar.next_allowed_moment(now)
        deadline_ends = calendar.end_of_day_utc(round_.deadline)
        after_deadline = not_before >= deadline_ends
        expires_at = not_before + self._policy.staleness
        if not after_deadline:
            # Its text counts down to the deadline: undelivered by then, it must not go out.
            expires_at = min(expires_at, deadline_ends)
        relevant = applicable(measures, owing.enterprise.kind)
        answers = await answer_rows.answers_of(conn, owing.report.id)
        text = render(
            "reminders/reminder.html",
            mode=mode,
            enterprise=owing.enterprise,
            period=round_.period,
            deadline=round_.deadline,
            returned=owing.report.state is ReportState.RETURNED,
            after_deadline=after_deadline,
            overdue=overdue,
            working_days_left=working_days_left(not_before, round_.deadline, calendar),
            deadline_today=days_left(not_before, round_.deadline, calendar) == 0,
            unanswered=len(unanswered(relevant, answers)),
            measures=len(relevant),
        )
        can_snooze = snooze_until(not_before, round_.deadline, calendar, calendar.quiet_start)
        markup = reminder_keyboard(owing.report.id, snooze=can_snooze is not None)
        return await notify.send(
            conn,
            key=key,
            kind=kind,
            chat_id=person.telegram_id,
            person_id=person.id,
            letter=notify.Letter(text, as_payload(markup)),
            calendar=calendar,
            now=now,
            expires_at=expires_at,
        )


@dataclass(frozen=True, slots=True)
class Nudge:
    """A coordinator's nudge: the round (None if there is none) and what was queued (None if
    the round is not open)."""

    round: Round | None
    nudged: Nudged | None


async def remind_non_submitters(
    deps: Deps, round_id: int, *, actor_id: int, report_id: int | None = None
) -> Nudge:
    """A coordinator's nudge to every reachable person whose report is not handed in (or only
    that of `report_id`), audited.

    Deduplicated per person, round and local day (`nudge:<round>:<person>:<YYYY-MM-DD>`), so a
    second tap the same day queues nothing; within working hours only.
    """
    now = deps.now()
    async with deps.db.transaction() as conn:
        round_ = await round_rows.get_round(conn, round_id)
        if round_ is None or round_.state is not RoundState.OPEN:
            return Nudge(round_, None)
        letters = ReminderLetters(deps.calendar, deps.reminder_policy)
        report_ids = None if report_id is None else {report_id}
        nudged = await letters.nudge(conn, round_, now, report_ids)
        await audit.record(
            conn,
            at=now,
            actor_id=actor_id,
            action="round.nudge",
            entity="round",
            entity_id=round_id,
            after={"report_id": report_id, "queued": nudged.queued, "already": nudged.already},
        )
    log.info("round %s: %d nudges queued", round_id, nudged.queued)
    return Nudge(round_, nudged)


class SnoozeRefusal(Enum):
    STALE = "stale"  # not this person's report, or no such report or round
    NEEDLESS = "needless"  # the round is closed, or the report is handed in
    REFUSED = "refused"  # no working morning is left before the deadline


async def snooze(deps: Deps, actor: Actor, report_id: int) -> datetime | SnoozeRefusal:
    """«Нагадати завтра»: this person's next reminder for the round waits for the next working
    morning, never past the deadline's (`core.reminders.snooze_until`); stored, so a restart
    keeps it. Returns when it comes back."""
    now = deps.now()
    person = actor.person
    enterprise_id = actor.enterprise.id if actor.enterprise else None
    calendar = deps.calendar
    async with deps.db.transaction() as conn:
        report = await reporting.get_report(conn, report_id)
        round_ = await round_rows.get_round(conn, report.round_id) if report else None
        if (
            report is None
            or round_ is None
            or person is None
            or not report.fillable_by(person.id, enterprise_id)
        ):
            return SnoozeRefusal.STALE
        if round_.state is not RoundState.OPEN or not report.owed:
            return SnoozeRefusal.NEEDLESS
        until = snooze_until(now, round_.deadline, calendar, calendar.quiet_start)
        if until is None:
            return SnoozeRefusal.REFUSED
        await store.set_snooze(conn, round_.id, person.id, until, now=now)
    log.info("round %s: person %s snoozed until %s", round_.id, person.id, until)
    return until

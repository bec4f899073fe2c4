"""The reminder plan of a round: due times, staleness after downtime, snoozing, escalation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from core.calendar import WorkCalendar
from core.reminders import (
    ESCALATION,
    PlannedReminder,
    ReminderPolicy,
    Settlement,
    escalation_at,
    is_stale,
    ladder,
    plan_reminders,
    settle,
    snooze_is_stale,
    snooze_skips,
    snooze_until,
)

MARTIAL = WorkCalendar()
PEACETIME = WorkCalendar(holidays_are_days_off=True)
POLICY = ReminderPolicy()
Q1_2026_DEADLINE = date(2026, 3, 25)  # a Wednesday; Kyiv goes to summer time on 29.03


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def plan_of(opened_at: datetime, deadline: date = Q1_2026_DEADLINE) -> dict[str, datetime]:
    return {r.kind: r.due_at for r in plan_reminders(opened_at, deadline, MARTIAL, POLICY)}


# --- The plan -------------------------------------------------------------------------------


def test_full_plan_for_a_q1_2026_round() -> None:
    opened_friday_1430_kyiv = utc(2026, 3, 6, 12, 30)
    plan = plan_reminders(opened_friday_1430_kyiv, Q1_2026_DEADLINE, MARTIAL, POLICY)
    assert plan == (
        PlannedReminder("open", utc(2026, 3, 6, 12, 30)),
        PlannedReminder("before-7", utc(2026, 3, 16, 8)),  # Mon 10:00 EET
        PlannedReminder("before-3", utc(2026, 3, 20, 8)),  # Fri 10:00 EET
        PlannedReminder("before-1", utc(2026, 3, 24, 8)),  # Tue 10:00 EET
        PlannedReminder("deadline", utc(2026, 3, 25, 7)),  # Wed 09:00 EET
        PlannedReminder("overdue-1", utc(2026, 3, 27, 8)),  # Fri 10:00 EET
        PlannedReminder("overdue-2", utc(2026, 3, 31, 7)),  # Tue 10:00 EEST
        PlannedReminder("overdue-3", utc(2026, 4, 2, 7)),  # Thu 10:00 EEST
    )


def test_plan_is_deterministic() -> None:
    opened = utc(2026, 3, 6, 12, 30)
    first = plan_reminders(opened, Q1_2026_DEADLINE, MARTIAL, POLICY)
    assert plan_reminders(opened, Q1_2026_DEADLINE, MARTIAL, POLICY) == first


def test_round_opened_on_friday_evening_is_announced_on_monday_morning() -> None:
    plan = plan_of(utc(2026, 3, 6, 18))  # 20:00 Kyiv
    assert plan["open"] == utc(2026, 3, 9, 7)


def test_before_reminders_due_before_the_opening_are_skipped() -> None:
    plan = plan_of(utc(2026, 3, 18, 9))  # Wednesday 11:00 Kyiv, after "before-7" (Monday)
    assert "before-7" not in plan
    assert plan["before-3"] == utc(2026, 3, 20, 8)


def test_round_opened_after_its_deadline_plans_only_what_is_still_ahead() -> None:
    plan = plan_of(utc(2026, 3, 30, 8))  # Monday 11:00 EEST
    assert list(plan) == ["open", "overdue-2", "overdue-3"]


def test_early_reminder_time_is_pushed_into_the_messaging_window() -> None:
    policy = ReminderPolicy(before_time=time(7, 0), overdue_time=time(19, 0))
    plan = {
        r.kind: r.due_at
        for r in plan_reminders(utc(2026, 3, 6, 12, 30), Q1_2026_DEADLINE, MARTIAL, policy)
    }
    assert plan["before-3"] == utc(2026, 3, 20, 7)  # 09:00 EET, not 07:00
    assert plan["overdue-1"] == utc(2026, 3, 30, 6)  # Fri 19:00 -> Mon 09:00 EEST


def test_deadline_on_a_saturday_is_reminded_on_friday_and_before_reminders_precede_it() -> None:
    saturday = date(2026, 4, 25)
    plan = plan_of(utc(2026, 4, 1, 7), saturday)
    assert plan["deadline"] == utc(2026, 4, 24, 6)  # Fri 09:00 EEST
    assert plan["before-1"] == utc(2026, 4, 23, 7)  # Thu 10:00 EEST
    assert plan["overdue-1"] == utc(2026, 4, 28, 7)  # Tue: Mon and Tue after the deadline


def test_no_reminder_on_a_holiday_when_holidays_count() -> None:
    # Christmas Friday 25.12.2026 is a day off, so the Q4 deadline is Thursday 24.12.
    plan = {
        r.kind: r.due_at
        for r in plan_reminders(utc(2026, 12, 1, 8), date(2026, 12, 24), PEACETIME, POLICY)
    }
    assert plan["overdue-1"] == utc(2026, 12, 29, 8)  # Mon 28 and Tue 29 after Thursday
    assert all(PEACETIME.is_allowed_moment(due) for due in plan.values())


opened_moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 6, 30), timezones=st.just(UTC)
)


@given(
    opened_at=opened_moments,
    lead_days=st.integers(min_value=-10, max_value=60),
    calendar=st.sampled_from([MARTIAL, PEACETIME]),
)
def test_plan_is_sorted_unique_and_never_outside_the_window(
    opened_at: datetime, lead_days: int, calendar: WorkCalendar
) -> None:
    deadline = calendar.local_date(opened_at) + timedelta(days=lead_days)
    plan = plan_reminders(opened_at, deadline, calendar, POLICY)
    kinds = [r.kind for r in plan]
    assert kinds[0] == "open"
    assert len(set(kinds)) == len(kinds)
    assert [r.due_at for r in plan] == sorted(r.due_at for r in plan)
    assert all(calendar.is_allowed_moment(r.due_at) and r.due_at >= opened_at for r in plan)


# --- Staleness after downtime ---------------------------------------------------------------


def test_before_reminder_is_stale_once_the_deadline_has_passed() -> None:
    forgiving = ReminderPolicy(staleness=timedelta(days=30))
    before_3 = PlannedReminder("before-3", utc(2026, 3, 20, 8))
    assert not is_stale(before_3, utc(2026, 3, 25, 21, 59), Q1_2026_DEADLINE, MARTIAL, forgiving)
    assert is_stale(before_3, utc(2026, 3, 25, 22, 1), Q1_2026_DEADLINE, MARTIAL, forgiving)


def test_open_reminder_is_stale_once_the_deadline_has_passed() -> None:
    forgiving = ReminderPolicy(staleness=timedelta(days=30))
    opening = PlannedReminder("open", utc(2026, 3, 6, 12, 30))
    assert is_stale(opening, utc(2026, 3, 26, 8), Q1_2026_DEADLINE, MARTIAL, forgiving)


def test_deadline_reminder_two_hours_late_is_still_sent() -> None:
    reminder = PlannedReminder("deadline", utc(2026, 3, 25, 7))
    assert not is_stale(reminder, utc(2026, 3, 25, 9), Q1_2026_DEADLINE, MARTIAL, POLICY)


def test_deadline_reminder_thirty_hours_late_is_dropped() -> None:
    reminder = PlannedReminder("deadline", utc(2026, 3, 25, 7))
    assert is_stale(reminder, utc(2026, 3, 26, 13), Q1_2026_DEADLINE, MARTIAL, POLICY)


def test_overdue_reminder_is_not_stale_just_because_the_deadline_passed() -> None:
    reminder = PlannedReminder("overdue-1", utc(2026, 3, 27, 8))
    assert not is_stale(reminder, utc(2026, 3, 27, 12), Q1_2026_DEADLINE, MARTIAL, POLICY)


# --- Settling what fell due at one tick -------------------------------------------------------

OPENED_MONDAY = utc(2026, 3, 2, 8)  # 10:00 Kyiv
PLAN = ladder(OPENED_MONDAY, Q1_2026_DEADLINE, MARTIAL, POLICY)
STEP = {r.kind: r for r in PLAN}


def settled(*kinds: str, now: datetime) -> Settlement:
    return settle([STEP[k] for k in kinds], PLAN, now, Q1_2026_DEADLINE, MARTIAL, POLICY)


def test_the_ladder_ends_with_the_escalation_the_working_morning_after_the_deadline() -> None:
    assert [r.kind for r in PLAN[:-1]] == [r.kind for r in plan_reminders(
        OPENED_MONDAY, Q1_2026_DEADLINE, MARTIAL, POLICY
    )]  # fmt: skip
    assert PLAN[-1] == PlannedReminder(
        ESCALATION, escalation_at(Q1_2026_DEADLINE, MARTIAL, POLICY)
    )


def test_nothing_due_settles_nothing() -> None:
    assert settled(now=OPENED_MONDAY) == Settlement()


def test_one_step_due_on_time_is_sent() -> None:
    assert settled("open", now=STEP["open"].due_at) == Settlement(send=STEP["open"])


def test_after_downtime_only_the_latest_step_goes_out_the_earlier_ones_superseded() -> None:
    now = STEP["before-3"].due_at + timedelta(hours=1)
    assert settled("before-7", "open", "before-3", now=now) == Settlement(
        send=STEP["before-3"],
        dropped=(("open", "superseded by before-3"), ("before-7", "superseded by before-3")),
    )


def test_a_stale_latest_step_is_dropped_as_well_and_nothing_is_sent() -> None:
    now = STEP["before-3"].due_at + POLICY.staleness + timedelta(minutes=1)
    assert settled("before-7", "before-3", now=now) == Settlement(
        dropped=(("before-7", "superseded by before-3"), ("before-3", "stale")),
    )


def test_steps_due_at_the_same_moment_keep_the_plans_order() -> None:
    same = [PlannedReminder("a", utc(2026, 3, 10, 8)), PlannedReminder("b", utc(2026, 3, 10, 8))]
    for due in (same, same[::-1]):
        result = settle(due, same, utc(2026, 3, 10, 9), Q1_2026_DEADLINE, MARTIAL, POLICY)
        assert result.send == same[1] and result.dropped == (("a", "superseded by b"),)


def test_the_escalation_always_goes_out_beside_the_ladder() -> None:
    now = STEP[ESCALATION].due_at + timedelta(days=3)  # far too late for a step of the ladder
    assert settled(ESCALATION, now=now) == Settlement(escalate=True)
    both = settled("deadline", ESCALATION, now=now)
    assert both.escalate and both.send is None and both.dropped == (("deadline", "stale"),)


def test_a_snooze_skips_the_steps_it_outlasts_and_is_used_up_by_an_earlier_one() -> None:
    step = STEP["before-1"]
    assert snooze_skips(step.due_at + timedelta(minutes=1), step)
    assert not snooze_skips(step.due_at, step)


def test_a_snoozed_reminder_found_late_or_after_the_deadline_day_is_stale() -> None:
    until = utc(2026, 3, 23, 7)  # Monday 09:00 Kyiv
    assert not snooze_is_stale(until, until, Q1_2026_DEADLINE, MARTIAL, POLICY)
    late = until + POLICY.staleness + timedelta(seconds=1)
    assert snooze_is_stale(until, late, Q1_2026_DEADLINE, MARTIAL, POLICY)
    forgiving = ReminderPolicy(staleness=timedelta(days=30))
    after = utc(2026, 3, 25, 22)  # Thursday 00:00 Kyiv, the deadline day is over
    assert snooze_is_stale(until, after, Q1_2026_DEADLINE, MARTIAL, forgiving)


# --- Snooze ---------------------------------------------------------------------------------


def test_snooze_on_friday_comes_back_on_monday_morning() -> None:
    until = snooze_until(utc(2026, 3, 20, 13), Q1_2026_DEADLINE, MARTIAL)
    assert until == utc(2026, 3, 23, 7)


def test_snooze_the_day_before_comes_back_on_the_deadline_morning() -> None:
    until = snooze_until(utc(2026, 3, 24, 13), Q1_2026_DEADLINE, MARTIAL)
    assert until == utc(2026, 3, 25, 7)


def test_snooze_early_on_the_deadline_day_comes_back_that_morning() -> None:
    until = snooze_until(utc(2026, 3, 25, 5), Q1_2026_DEADLINE, MARTIAL)  # 07:00 Kyiv
    assert until == utc(2026, 3, 25, 7)


def test_snooze_is_impossible_late_on_the_deadline_day_and_after_it() -> None:
    assert snooze_until(utc(2026, 3, 25, 10), Q1_2026_DEADLINE, MARTIAL) is None
    assert snooze_until(utc(2026, 3, 26, 8), Q1_2026_DEADLINE, MARTIAL) is None


def test_snooze_before_a_saturday_deadline_stops_at_friday_morning() -> None:
    saturday = date(2026, 4, 25)
    assert snooze_until(utc(2026, 4, 23, 11), saturday, MARTIAL) == utc(2026, 4, 24, 6)
    assert snooze_until(utc(2026, 4, 24, 9), saturday, MARTIAL) is None


@given(
    now=opened_moments,
    lead_days=st.integers(min_value=-3, max_value=30),
    calendar=st.sampled_from([MARTIAL, PEACETIME]),
)
def test_snooze_never_goes_past_the_deadline_day(
    now: datetime, lead_days: int, calendar: WorkCalendar
) -> None:
    deadline = calendar.local_date(now) + timedelta(days=lead_days)
    until = snooze_until(now, deadline, calendar)
    if until is not None:
        assert now < until < calendar.end_of_day_utc(deadline)
        assert calendar.is_allowed_moment(until)


# --- Escalation -----------------------------------------------------------------------------


def test_escalation_is_the_next_working_morning_after_the_deadline() -> None:
    assert escalation_at(Q1_2026_DEADLINE, MARTIAL, POLICY) == utc(2026, 3, 26, 7, 30)
    # Friday 27.03 deadline: Monday 30.03 is already summer time.
    assert escalation_at(date(2026, 3, 27), MARTIAL, POLICY) == utc(2026, 3, 30, 6, 30)
    assert escalation_at(date(2026, 12, 24), PEACETIME, POLICY) == utc(2026, 12, 28, 7, 30)

"""Reminders a person or the coordinator acts on: snooze, escalation, one-tap nudges, /remind."""

from __future__ import annotations

from storage import audit
from tests.e2e.harness import callback_answer
from tests.reminders.test_ladder import (
    BEFORE_1,
    BEFORE_3,
    BOHDAN,
    DEADLINE,
    ESCALATION,
    NATALIA,
    SNOOZE,
    ReminderWorld,
    kyiv,
    reminder,
    reminders_received,
    round_with,
)


async def test_remind_me_tomorrow_brings_the_reminder_back_next_working_morning(
    zvit: ReminderWorld,
) -> None:
    [bohdan] = await round_with(zvit, BOHDAN)
    await zvit.at(BEFORE_3)  # Friday
    friday = await reminder(bohdan)
    answer = await callback_answer(bohdan, await bohdan.press(SNOOZE, friday))
    assert answer["text"] == "Добре, бот нагадає 23.03.2026 (понеділок) о 09:00."

    await zvit.at(kyiv(3, 23, 8, 59))
    await zvit.quiet(bohdan)
    await zvit.at(kyiv(3, 23, 9))
    monday = await reminder(bohdan)
    assert "Нагадування, як ви просили" in monday.text
    await zvit.at(BEFORE_1)
    assert "залишився 1 робочий день" in (await reminder(bohdan)).text
    await zvit.at(DEADLINE)
    deadline_day = await reminder(bohdan)
    assert not deadline_day.has_button(SNOOZE)
    assert reminders_received(zvit, bohdan) == ["🔔", "🔔", "🔔", "⏰"]


async def test_escalation_lists_missing_reports_and_a_double_tap_nudges_once(
    zvit: ReminderWorld,
) -> None:
    bohdan, natalia = await round_with(zvit, BOHDAN, NATALIA)
    coordinator = await zvit.coordinator()
    await zvit.at(ESCALATION)
    escalation = await coordinator.next_message()
    assert "Не подали 14 з 14 (сторінка 1 з 2)" in escalation.text
    assert "1. ⬜ КП «Міськводоканал» — 📵 немає кому написати" in escalation.text
    assert escalation.button_texts()[:2] == ["🔔 1", "🔔 2"]
    assert escalation.button_texts()[-2:] == ["Далі »", "🔔 Нагадати всім"]
    await zvit.quiet(bohdan, natalia)  # the ladder's missed steps are stale by now: not sent

    first = await callback_answer(coordinator, await coordinator.press("🔔 2", escalation))
    again = await callback_answer(coordinator, await coordinator.press("🔔 2", escalation))
    assert first["text"] == "🔔 Нагадування поставлено в чергу: 1."
    assert again["text"] == "Сьогодні вже нагадано — вдруге за день бот не нагадує."
    nudge = await reminder(bohdan)
    assert "Координатор нагадує: КП «Вербівтепло» — звіт за" in nudge.text
    assert "звіт прострочено." in nudge.text and "координатора повідомлено" not in nudge.text

    everyone = await callback_answer(
        coordinator, await coordinator.press("🔔 Нагадати всім", escalation)
    )
    assert "поставлено в чергу: 1" in str(everyone["text"])  # Наталія; Богдан had his today
    assert "Координатор нагадує" in (await reminder(natalia)).text
    await zvit.quiet(bohdan, natalia)
    async with zvit.db.reading() as conn:  # every tap is in the audit log, with what it did
        taps = await audit.entries(conn, entity="round")
    assert [(e.action, e.actor_id) for e in taps if e.action == "round.nudge"] == [
        ("round.nudge", coordinator.id)
    ] * 3

    await coordinator.send("/remind")
    listing = await coordinator.next_message()
    assert "Не подали 14 з 14" in listing.text and listing.has_button("🔔 Нагадати всім")
    await coordinator.press("Далі »", listing)
    second = await coordinator.next_message()
    assert second.edited and "11. ⬜" in second.text and "Вербівтепло" not in second.text


async def test_a_nudge_tapped_on_saturday_goes_out_on_monday_at_nine(
    zvit: ReminderWorld,
) -> None:
    [bohdan] = await round_with(zvit, BOHDAN)
    coordinator = await zvit.coordinator()
    await zvit.at(kyiv(3, 7, 11))  # Saturday
    await coordinator.send("/remind")
    listing = await coordinator.next_message()
    await callback_answer(coordinator, await coordinator.press("🔔 2", listing))
    await zvit.quiet(bohdan)
    await zvit.at(kyiv(3, 9, 8, 59))  # Monday before the window opens
    await zvit.quiet(bohdan)
    await zvit.at(kyiv(3, 9, 9))
    assert "Координатор нагадує" in (await reminder(bohdan)).text
    assert await zvit.sent_at("nudge:1:2:2026-03-07") == "09.03 09:00"

"""The whole reminder ladder of a round against the emulator, the clock moved by hand."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.settings import Settings
from core.clock import ManualClock
from core.models import ReportState
from demo.people import submit
from demo.runtime import emulated_settings
from emulator.client import BotMessage, EmulatorClient, SimUser
from emulator.server import TelegramEmulator
from storage import outbox, reporting
from storage.database import fetch_all
from storage.outbox import OutboxState
from tests.e2e.harness import (
    COORDINATOR_ID,
    TOKEN,
    World,
    open_round_via_chat,
    save_demo_plan,
)
from tests.e2e.test_questionnaire import answer_all, finish_indicators

KYIV = ZoneInfo("Europe/Kyiv")
OLENA = (1, 5001, "Олена")  # КП «Міськводоканал»
BOHDAN = (2, 5002, "Богдан")  # КП «Вербівтепло»
NATALIA = (4, 5004, "Наталія")  # Ліцей № 7
CONTINUE = "Заповнити звіт"
SNOOZE = "Нагадати завтра"


def kyiv(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=KYIV)


# The default ladder of the I quarter 2026 (deadline Wednesday 25 March), in Kyiv time.
BEFORE_7 = kyiv(3, 16, 10)  # Monday
BEFORE_3 = kyiv(3, 20, 10)  # Friday
BEFORE_1 = kyiv(3, 24, 10)  # Tuesday
DEADLINE = kyiv(3, 25, 9)  # Wednesday
ESCALATION = kyiv(3, 26, 9, 30)  # Thursday
OVERDUE_1 = kyiv(3, 27, 10)  # Friday
OVERDUE_2 = kyiv(3, 31, 10)  # Tuesday, after a weekend and the switch to summer time
OVERDUE_3 = kyiv(4, 2, 10)  # Thursday
LADDER = {
    "before-7": "16.03 10:00",
    "before-3": "20.03 10:00",
    "before-1": "24.03 10:00",
    "deadline": "25.03 09:00",
    "overdue-1": "27.03 10:00",
    "overdue-2": "31.03 10:00",
    "overdue-3": "02.04 10:00",
}


@dataclass
class ReminderWorld(World):
    """The e2e World with a quick reminder tick and no per-chat pause between test steps."""

    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        values: dict[str, Any] = {
            "reminder_tick_seconds": 0.05,
            "outbox_per_chat_interval_seconds": 0.01,
            **self.extra,
        }
        return emulated_settings(
            self.emulator.base_url, self.db_path, TOKEN, [COORDINATOR_ID], **values
        )

    async def at(self, moment: datetime) -> None:
        """Move the business clock; the bot's jobs notice on their next tick.

        First the outbox must have recorded every send in flight: a jump past the claim's
        lease would let the sender take the row over and send it again.
        """
        async with asyncio.timeout(5):
            while True:
                async with self.db.reading() as conn:
                    counts = await outbox.counts_by_state(conn)
                if counts[OutboxState.SENDING] == 0:
                    break
                await asyncio.sleep(0.02)
        self.clock.set(moment)

    async def quiet(self, *users: SimUser) -> None:
        """Assert nobody got anything: a short wait for the jobs and the outbox to act."""
        await asyncio.sleep(0.4)
        for user in users:
            assert await user.pending() == [], user

    async def sent_at(self, key: str) -> str:
        """When (Kyiv wall clock) the outbox delivered the message with this key."""
        async with self.db.reading() as conn:
            row = await outbox.by_key(conn, key)
        assert row is not None and row.sent_at is not None, key
        return row.sent_at.astimezone(KYIV).strftime("%d.%m %H:%M")


@contextlib.asynccontextmanager
async def reminder_world(
    tmp_path: Path, clock: ManualClock, **extra: Any
) -> AsyncIterator[ReminderWorld]:
    emulator = TelegramEmulator(token=TOKEN)
    await emulator.start()
    client = EmulatorClient(emulator.base_url)
    state = ReminderWorld(emulator, client, tmp_path / "bot.sqlite3", clock, extra=extra)
    try:
        await state.start_bot()
        yield state
    finally:
        await state.stop_bot()
        await client.close()
        await emulator.stop()


async def round_with(zvit: ReminderWorld, *people: tuple[int, int, str]) -> list[SimUser]:
    """Registry, plan, bound persons and the I quarter's round opened from chat (invitations
    read)."""
    await zvit.seed_registry()
    await save_demo_plan(zvit)
    users = [await zvit.bound_person(*p) for p in people]
    await open_round_via_chat(zvit)
    for user in users:
        assert "Розпочато збір звітів" in (await user.next_message()).text
    return users


def reminders_received(zvit: World, user: SimUser) -> list[str]:
    """The first character (🔔, ⏰ or ❗) of every reminder the emulator delivered to the user,
    as sent (the transcript keeps messages as they were, before any later edit)."""
    return [
        event["message"]["text"][:1]
        for event in zvit.emulator.transcript(user.id)
        if event["kind"] == "bot_message" and "ще не подано" in event["message"]["text"]
    ]


async def reminder(user: SimUser) -> BotMessage:
    message = await user.next_message()
    assert message.has_button(CONTINUE), message.text
    return message


async def submit_from(user: SimUser, message: BotMessage) -> None:
    """«Заповнити звіт» on a reminder, every measure answered, and the report submitted."""
    await user.press(CONTINUE, message)
    screen = await finish_indicators(user, await answer_all(user, await user.next_message()))
    assert "Звіт подано" in (await submit(user, screen)).text


async def submit_and_return(zvit: ReminderWorld, enterprise_id: int, *, returned: bool) -> None:
    """The report handed in (and, if asked, returned by the coordinator) through storage."""
    async with zvit.db.transaction() as conn:
        [report] = [
            r
            for r in await reporting.reports_of_round(conn, 1)
            if r.enterprise_id == enterprise_id
        ]
        report = await reporting.submit(
            conn, report, late=False, person_id=0, now=zvit.clock.now()
        )
        if returned:
            await reporting.set_state(
                conn, report, ReportState.RETURNED, actor_id=COORDINATOR_ID,
                now=zvit.clock.now(), comment="Додайте дати навчань",
            )  # fmt: skip


async def test_the_ladder_reaches_each_person_once_per_step_until_they_hand_in(
    zvit: ReminderWorld,
) -> None:
    olena, bohdan, natalia = await round_with(zvit, OLENA, BOHDAN, NATALIA)
    coordinator = await zvit.coordinator()
    await coordinator.pending()

    await zvit.at(kyiv(3, 16, 9, 59))
    await zvit.quiet(olena, bohdan, natalia)
    await zvit.at(BEFORE_7)
    first = {user.id: await reminder(user) for user in (olena, bohdan, natalia)}
    text = first[bohdan.id].text
    assert "Нагадування: КП «Вербівтепло» — звіт за I квартал 2026 року ще не подано" in text
    assert "Строк подання: 25.03.2026 (середа) — залишилося 7 робочих днів" in text
    assert "Ще без відповіді: 13 з 13 заходів" in text
    assert first[bohdan.id].button_texts() == [CONTINUE, SNOOZE]

    await submit_from(olena, first[olena.id])  # Олена hands in: nothing more for her
    assert "Звіт подано:" in (await coordinator.next_message()).text
    await submit_and_return(zvit, 4, returned=False)

    await zvit.at(BEFORE_3)
    assert "залишилося 3 робочі дні" in (await reminder(bohdan)).text
    await zvit.quiet(olena, natalia)

    await submit_and_return(zvit, 4, returned=True)  # Наталія's report comes back to her
    await zvit.at(BEFORE_1)
    assert "залишився 1 робочий день" in (await reminder(bohdan)).text
    returned = (await reminder(natalia)).text
    assert "Ліцей № 7" in returned and "повернуто на доопрацювання" in returned

    await zvit.at(DEADLINE)
    for user in (bohdan, natalia):
        message = await reminder(user)
        assert "Сьогодні останній день подання: 25.03.2026 (середа)" in message.text
        assert message.button_texts() == [CONTINUE]  # no later morning to postpone to

    await zvit.at(ESCALATION)
    escalation = await coordinator.next_message()
    assert "Строк подання звітів за I квартал 2026 року минув" in escalation.text
    assert "Не подали 13 з 14" in escalation.text
    await zvit.quiet(bohdan, natalia)

    for moment in (OVERDUE_1, OVERDUE_2, OVERDUE_3):
        await zvit.at(moment)
        for user in (bohdan, natalia):
            text = (await reminder(user)).text
            assert "Строк подання минув 25.03.2026 (середа)" in text
            assert "звіт прострочено, координатора повідомлено" in text
    await zvit.quiet(olena, bohdan, natalia, coordinator)

    when = {kind: await zvit.sent_at(f"reminder:1:2:{kind}") for kind in LADDER}
    assert when == LADDER  # Богдан never reacted: the whole ladder, each at its time
    assert await zvit.sent_at(f"escalation:1:{COORDINATOR_ID}") == "26.03 09:30"
    reminders_to = {user.id: reminders_received(zvit, user) for user in (olena, bohdan, natalia)}
    assert reminders_to == {
        olena.id: ["🔔"],
        bohdan.id: ["🔔", "🔔", "🔔", "⏰", "❗", "❗", "❗"],
        natalia.id: ["🔔", "🔔", "⏰", "❗", "❗", "❗"],
    }


async def test_changes_never_submitted_are_reminded_once_before_the_deadline(
    zvit: ReminderWorld,
) -> None:
    """Quarter's edges, case 1: an edit left as a draft beside the submitted version."""
    from tests.e2e.test_questionnaire import change_first_measure, reopen

    [olena] = await round_with(zvit, OLENA)
    await olena.send("/report")
    screen = await finish_indicators(olena, await answer_all(olena, await olena.next_message()))
    receipt = await submit(olena, screen)
    await change_first_measure(olena, await reopen(olena, receipt), "Нове, ще не подане відділу")

    for moment in (BEFORE_7, BEFORE_3, BEFORE_1):
        await zvit.at(moment)
        await asyncio.sleep(0.3)
        await zvit.settled()
    texts = [m.text for m in await olena.pending()]

    unsent = [t for t in texts if "зміни ще не подали" in t]
    assert len(unsent) == 1 and "КП «Міськводоканал»" in unsent[0], texts
    assert not [t for t in texts if "ще не подано" in t]  # the report itself is handed in


async def test_a_coordinators_nudge_expires_by_the_configured_staleness(
    tmp_path: Path, clock: ManualClock
) -> None:
    """Quarter's edges, case 19: nudges used the default staleness, not the setting."""
    async with reminder_world(tmp_path, clock, reminder_staleness_hours=2) as zvit:
        await round_with(zvit, OLENA)
        coordinator = await zvit.coordinator()
        await coordinator.pending()
        await coordinator.send("/status")
        await coordinator.press("🔔 Нагадати всім, хто не подав", await coordinator.next_message())
        await coordinator.next_message()

        async with zvit.db.reading() as conn:
            rows = await fetch_all(
                conn, "SELECT dedupe_key FROM outbox WHERE dedupe_key LIKE ?", ("nudge:%",)
            )
            [nudge] = [await outbox.by_key(conn, r["dedupe_key"]) for r in rows]
        assert nudge is not None and nudge.expires_at is not None
        assert nudge.expires_at - nudge.not_before == timedelta(hours=2)

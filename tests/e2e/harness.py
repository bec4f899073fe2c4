"""The real bot polling the emulator over HTTP, in this process or as a killable subprocess."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.settings import Settings
from core.access import AccessPolicy
from core.clock import ManualClock
from core.invites import new_code
from core.models import IndicatorDef, PlanDraft
from demo.people import next_screen as next_screen  # re-exported for the tests
from demo.plan_data import plan_docx
from demo.registry_data import registry_csv
from demo.runtime import RunningBot, child_env, emulated_settings
from demo.scenario import demo_indicators
from emulator.client import EmulatorClient, SimUser
from emulator.server import TelegramEmulator
from reports.indicator_reader import default_indicators
from reports.plan_reader import read_plan
from reports.registry_reader import read_registry
from storage import invites, outbox, plans, registry
from storage.database import Database
from storage.outbox import OutboxState

TOKEN = "4242424242:emulated-token"
COORDINATOR_ID = 900001


def settings_for(base_url: str, db_path: Path) -> Settings:
    return emulated_settings(base_url, db_path, TOKEN, [COORDINATOR_ID])


@dataclass
class World:
    """One test's Telegram: the emulator, its users, the DB, and the bot (in-process)."""

    emulator: TelegramEmulator
    client: EmulatorClient
    db_path: Path
    clock: ManualClock
    bot: RunningBot | None = None
    users: dict[int, SimUser] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        return settings_for(self.emulator.base_url, self.db_path)

    async def start_bot(self) -> None:
        self.bot = await RunningBot.start(self.settings, self.clock)

    async def stop_bot(self) -> None:
        if self.bot is not None:
            await self.bot.stop()
            self.bot = None

    @property
    def db(self) -> Database:
        assert self.bot is not None, "start the bot first"
        return self.bot.app.db

    async def user(self, user_id: int, first_name: str) -> SimUser:
        if user_id not in self.users:
            self.users[user_id] = await self.client.user(user_id, first_name)
        return self.users[user_id]

    async def coordinator(self) -> SimUser:
        return await self.user(COORDINATOR_ID, "Координатор")

    async def seed_registry(self) -> None:
        sheet = read_registry("registry.csv", registry_csv())
        async with self.db.transaction() as conn:
            await registry.import_sheet(conn, sheet, actor_id=None, now=self.clock.now())

    async def invite_code(self, person_id: int) -> str:
        """An invite made the way /invite makes it, without going through the chat."""
        code = new_code()
        async with self.db.transaction() as conn:
            person = await registry.get_person(conn, person_id)
            assert person is not None
            ttl = AccessPolicy().invite_ttl
            await invites.create_invite(
                conn, person, code, ttl=ttl, actor_id=None, now=self.clock.now()
            )
        return code

    async def settled(self) -> None:
        """Wait (at most 10 s) until the bot's own sender has dealt with every queued message."""
        async with asyncio.timeout(10):
            # The sender runs in the bot's ticker; the outbox rows are all there is to watch.
            while True:
                async with self.db.reading() as conn:
                    counts = await outbox.counts_by_state(conn)
                if counts[OutboxState.PENDING] == counts[OutboxState.SENDING] == 0:
                    return
                await asyncio.sleep(0.05)

    async def bound_person(self, person_id: int, user_id: int, first_name: str) -> SimUser:
        """A simulated user who has opened their invite and read the greeting."""
        user = await self.user(user_id, first_name)
        await user.send(f"/start {await self.invite_code(person_id)}")
        await user.next_message()
        return user


@contextlib.asynccontextmanager
async def world(tmp_path: Path, clock: ManualClock) -> AsyncIterator[World]:
    emulator = TelegramEmulator(token=TOKEN)
    await emulator.start()
    client = EmulatorClient(emulator.base_url)
    state = World(emulator, client, tmp_path / "bot.sqlite3", clock)
    try:
        await state.start_bot()
        yield state
    finally:
        await state.stop_bot()
        await client.close()
        await emulator.stop()


def subprocess_env(base_url: str, db_path: Path, clock_file: Path | None = None) -> dict[str, str]:
    return child_env(base_url, db_path, TOKEN, [COORDINATOR_ID], clock_file)


async def callback_answer(user: SimUser, query_id: str) -> dict[str, object]:
    """Wait (at most 5 s) for the bot to answer a button press; answers are asynchronous."""
    async with asyncio.timeout(5):
        # The answer lives in another process (the emulator); there is no event to await.
        while (answer := await user.callback_answer(query_id)) is None:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    return answer


def demo_plan() -> PlanDraft:
    return read_plan("plan.docx", plan_docx(), default_title="План")


# The three indicators the demo coordinator switches on, each at the measure proposed for it
# (consultations 2.3, people trained 2.1, whistleblowers' reports 5.2).
DEMO_INDICATORS = demo_indicators(demo_plan())
# Three indicators attached to no measure: asked together at the end of the questionnaire.
UNATTACHED = default_indicators()[:3]


async def save_demo_plan(state: World, indicators: tuple[IndicatorDef, ...] = UNATTACHED) -> int:
    """The fictional plan stored as the active one, as if saved from chat with `indicators`
    chosen (DEMO_INDICATORS: the demo's own, attached to measures); returns its id."""
    draft = demo_plan()
    async with state.db.transaction() as conn:
        plan = await plans.save_plan(
            conn,
            draft,
            years=(2026, 2027),
            indicators=indicators,
            source_name="plan.docx",
            actor_id=None,
            now=state.clock.now(),
        )
    return plan.id


async def open_round_via_chat(state: World) -> SimUser:
    """The coordinator opens the current quarter's round with the default deadline."""
    coordinator = await state.coordinator()
    await coordinator.send("/round")
    draft = await coordinator.next_message()
    await coordinator.press("Відкрити збір", draft)
    await coordinator.next_message()
    return coordinator

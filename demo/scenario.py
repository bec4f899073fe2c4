"""The demo's story: a coordinator and simulated authorized persons going through a quarter."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from core.clock import ManualClock
from demo.plan_data import plan_docx
from demo.registry_data import ENTERPRISES, registry_csv
from demo.runtime import RunningBot, emulated_settings
from demo.transcript import format_events
from emulator.client import EmulatorClient, SimUser
from emulator.server import TelegramEmulator

TOKEN = "7000000001:demo-token-not-secret"
COORDINATOR_ID = 100_001
FIRST_PERSON_ID = 200_001
# Persons who never open their invite: the coordinator will have to chase them.
SILENT = frozenset({12, 13})
# Monday, 2 March 2026, 09:30 in Kyiv.
START = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


@dataclass
class Scene:
    emulator: TelegramEmulator
    client: EmulatorClient
    clock: ManualClock
    bot: RunningBot
    names: dict[int, str] = field(default_factory=dict)
    persons: dict[int, SimUser] = field(default_factory=dict)
    chapters: list[str] = field(default_factory=list)
    _mark: int = 0

    def chapter(self, title: str) -> None:
        """Close the transcript of the previous act and start a new one."""
        events = self.emulator.transcript()
        if self._mark < len(events) and self.chapters:
            self.chapters[-1] += "\n" + format_events(events[self._mark :], self.names)
        self._mark = len(events)
        self.chapters.append(f"=== {title} ===")

    def finish(self) -> str:
        self.chapter("end")
        return "\n\n".join(self.chapters[:-1])

    async def coordinator(self) -> SimUser:
        self.names[COORDINATOR_ID] = "Координатор"
        return await self.client.user(COORDINATOR_ID, "Ганна")


async def setup_registry_and_plan(scene: Scene) -> None:
    scene.chapter("The coordinator loads the registry and the plan")
    coordinator = await scene.coordinator()
    await coordinator.send("/start")
    await coordinator.next_message()
    await coordinator.send_document("Реєстр уповноважених.csv", registry_csv())
    await coordinator.next_message()
    await coordinator.send_document("План заходів 2026-2027.docx", plan_docx())
    preview = await coordinator.next_message()
    await coordinator.press("Зберегти", preview)
    await coordinator.next_message()
    await coordinator.send("/planorder № 98 від 12.01.2026")
    await coordinator.next_message()


async def onboard_persons(scene: Scene) -> None:
    scene.chapter("Invites: authorized persons join by their personal links")
    coordinator = await scene.coordinator()
    await coordinator.send("/invites")
    text = (await coordinator.next_message()).text
    while len(re.findall(r"\?start=", text)) < len(ENTERPRISES):
        text += (await coordinator.next_message()).text
    links = re.findall(r"\?start=([\w-]+)", text)
    for index, (enterprise, code) in enumerate(zip(ENTERPRISES, links, strict=True)):
        if index in SILENT:
            continue
        user_id = FIRST_PERSON_ID + index
        first_name = enterprise.person.split()[0]
        scene.names[user_id] = f"{first_name} ({enterprise.short_name})"
        user = await scene.client.user(user_id, first_name)
        await user.send(f"/start {code}")
        await user.next_message()
        scene.persons[index] = user


async def refuse_outsiders(scene: Scene) -> None:
    scene.chapter("Access control: a stranger and a curious person")
    stranger = await scene.client.user(666_666, "Незнайомець")
    scene.names[stranger.id] = "Незнайомець"
    await stranger.send("/start")
    await stranger.next_message()
    curious = scene.persons[0]
    await curious.send("/enterprises")
    await curious.next_message()


@dataclass(frozen=True)
class Outcome:
    transcript: str
    files: dict[str, bytes]


async def run() -> Outcome:
    """Play the whole story; return the transcript and the documents it produced."""
    emulator = TelegramEmulator(token=TOKEN)
    base_url = await emulator.start()
    clock = ManualClock(START)
    with tempfile.TemporaryDirectory(prefix="zvitbot-demo-") as tmp:
        settings = emulated_settings(
            base_url, Path(tmp) / "zvitbot.sqlite3", TOKEN, [COORDINATOR_ID]
        )
        bot = await RunningBot.start(settings, clock)
        try:
            async with EmulatorClient(base_url) as client:
                scene = Scene(emulator, client, clock, bot)
                await setup_registry_and_plan(scene)
                await onboard_persons(scene)
                await refuse_outsiders(scene)
                transcript = scene.finish()
        finally:
            await bot.stop()
            await emulator.stop()
    return Outcome(transcript, {"transcript.txt": (transcript + "\n").encode("utf-8")})

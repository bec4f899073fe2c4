"""The demo's story: a coordinator and simulated authorized persons going through a quarter."""

from __future__ import annotations

import asyncio
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from core.clock import ManualClock
from core.indicator_offer import choose, chosen_indicators, offer
from core.models import IndicatorDef, PlanDraft
from demo.circulars_act import circulars_act
from demo.people import fill_and_submit, next_screen, submit, wait_for
from demo.plan_data import plan_docx
from demo.registry_data import ENTERPRISES, registry_csv
from demo.reminders_act import walk_the_ladder
from demo.runtime import RunningBot, emulated_settings
from demo.summary_act import DEMO_REQUISITES, ask_for_summary, edit_measure_text
from demo.transcript import format_events
from emulator.client import BotMessage, EmulatorClient, SimUser
from emulator.server import TelegramEmulator
from reports.indicator_reader import default_indicators

TOKEN = "7000000001:demo-token-not-secret"
COORDINATOR_ID = 100_001
FIRST_PERSON_ID = 200_001
# Persons who never open their invite: the coordinator will have to chase them.
SILENT = frozenset({12, 13})
# Persons who join but never answer, and the one whose report comes back for revision.
IDLE = frozenset({10, 11})
RETURNED = 1
# The person whose every message the transcript shows; for the rest it tells the outcome.
SHOWN = 0
# Monday, 2 March 2026, 09:30 in Kyiv.
START = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
DEADLINE = date(2026, 3, 25)
# The indicators the demo council switches on when it saves the plan.
DEMO_INDICATORS = ("consultations", "trainings_attended", "whistleblower_reports")
# The coordinator's own words for measure 1.1, typed in chat and printed in the final report.
EDITED_TEXT = (
    "Переліки уповноважених осіб актуалізовано й надіслано до відділу; у Гімназії № 3 "
    "роботу завершать у II кварталі. Чотири організації звітів не подали, відділ з'ясовує "
    "причини. Стан виконання – 64 %."
)


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

    quiet: set[int] = field(default_factory=set)
    _coordinator: SimUser | None = None
    notes: list[str] = field(default_factory=list)

    def chapter(self, title: str) -> None:
        """Close the transcript of the previous act and start a new one."""
        events = self.emulator.transcript()
        if self._mark < len(events) and self.chapters:
            shown = [e for e in events[self._mark :] if int(e["chat_id"]) not in self.quiet]
            self.chapters[-1] += "\n" + format_events(shown, self.names)
        if self.notes and self.chapters:
            self.chapters[-1] += "\n" + "\n".join(self.notes)
        self.notes = []
        self._mark = len(events)
        self.chapters.append(f"=== {title} ===")

    def note(self, line: str) -> None:
        """A one-line summary for a person whose chat the transcript does not show in full."""
        self.notes.append(f"  · {line}")

    def finish(self) -> str:
        self.chapter("end")
        return "\n\n".join(self.chapters[:-1])

    async def coordinator(self) -> SimUser:
        """One handle for the whole story: a handle remembers which messages it has read."""
        if self._coordinator is None:
            self.names[COORDINATOR_ID] = "Координатор"
            self._coordinator = await self.client.user(COORDINATOR_ID, "Ганна")
        return self._coordinator


def demo_indicators(draft: PlanDraft) -> tuple[IndicatorDef, ...]:
    """What saving `draft` with DEMO_INDICATORS on stores: each at its proposed measure."""
    chosen = choose(offer(default_indicators(), draft), DEMO_INDICATORS)
    assert not isinstance(chosen, str), chosen
    return chosen_indicators(chosen)


def indicator_index(code: str) -> int:
    """Where the plan preview offers an indicator of the default list (its toggle's row)."""
    return [i.code for i in default_indicators()].index(code)


async def setup_registry_and_plan(scene: Scene) -> None:
    scene.chapter("The coordinator loads the registry and the plan")
    coordinator = await scene.coordinator()
    await coordinator.send("/start")
    await coordinator.next_message()
    await coordinator.send_document("Реєстр уповноважених.csv", registry_csv())
    await coordinator.next_message()
    await coordinator.send_document("План заходів 2026-2027.docx", plan_docx())
    await coordinator.next_message()  # the plan as read
    offered = await coordinator.next_message()  # the indicators offered, none on
    # The numbers the council asks: each belongs to the measure its words match (consultations
    # to 2.3, people trained to 2.1, whistleblowers' reports to 5.2), asked on that screen.
    for code in DEMO_INDICATORS:
        await coordinator.press(offered.button_texts()[indicator_index(code)], offered)
        offered = await coordinator.next_message()
    await coordinator.press("Зберегти", offered)
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
        if index != SHOWN:
            scene.quiet.add(user_id)
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


async def collect_reports(scene: Scene) -> None:
    scene.chapter("The coordinator opens the Q1 round; persons fill in their reports")
    coordinator = await scene.coordinator()
    await coordinator.send("/round")
    draft = await coordinator.next_message()
    await coordinator.press("Відкрити збір", draft)
    await coordinator.next_message()
    workers = [
        fill_and_submit(user, index) for index, user in scene.persons.items() if index not in IDLE
    ]
    receipts = await asyncio.gather(*workers)
    for index, receipt in zip([i for i in scene.persons if i not in IDLE], receipts, strict=True):
        if index != SHOWN:
            scene.note(f"{scene.names[scene.persons[index].id]}: {receipt.text.splitlines()[0]}")
    for index in sorted(IDLE):
        scene.note(f"{scene.names[scene.persons[index].id]}: got the invitation, did not answer")


async def review_reports(scene: Scene) -> None:
    scene.chapter("Review: one report returned with a comment, fixed, and accepted")
    scene.quiet.discard(scene.persons[RETURNED].id)
    coordinator = await scene.coordinator()
    returned_name = ENTERPRISES[RETURNED].short_name
    await walk_the_queue(coordinator, returned_name, len(scene.persons) - len(IDLE))
    person = scene.persons[RETURNED]
    returned = await wait_for(person, "повернуто на доопрацювання")
    await person.press("Виправити звіт", returned)
    overview = await person.next_message()
    await person.press("✏️ 2.1", overview)
    await person.next_message()
    await person.send("Навчання 12.02.2026 і 19.03.2026, разом 41 працівник; тести склали всі.")
    await next_screen(person)
    await person.send("/report")
    await person.press("☰ Перелік", await person.next_message())
    await submit(person, await person.next_message())
    await coordinator.send("/review")
    second = await next_card(coordinator)
    assert returned_name in second.text, second.text
    await coordinator.press("✅ Прийняти", second)
    await wait_for(coordinator, "Черга порожня")
    await wait_for(person, "прийняв звіт")


async def walk_the_queue(coordinator: SimUser, returned_name: str, expected: int) -> None:
    """/review: accept every waiting report in one tap each, but return one with a comment."""
    await coordinator.send("/review")
    card = await next_card(coordinator)
    decided = 0
    while "Черга порожня" not in card.text:
        shown = card.text.split("Очікують рішення", 1)[1]
        if returned_name in shown:
            await coordinator.press("↩ Повернути на доопрацювання", card)
            await coordinator.next_message()
            await coordinator.send("У заході 2.1 вкажіть дати навчань і кількість учасників.")
        else:
            await coordinator.press("✅ Прийняти", card)
        decided += 1
        card = await next_card(coordinator)
    assert decided == expected, f"the queue held {decided} reports, {expected} were submitted"


async def next_card(coordinator: SimUser) -> BotMessage:
    """The queue's next screen: a report waiting for a decision, or the word that none is."""
    while True:
        message = await coordinator.next_message()
        if "Очікують рішення" in message.text or "Черга порожня" in message.text:
            return message


async def chase_late_reports(scene: Scene) -> None:
    scene.chapter("Reminders over three weeks, then the escalation to the coordinator")
    for index in sorted(IDLE):
        scene.quiet.discard(scene.persons[index].id)
    idle = {index: scene.persons[index] for index in sorted(IDLE)}
    coordinator = await scene.coordinator()
    await walk_the_ladder(scene.clock, START, DEADLINE, idle, coordinator)
    escalation = (await coordinator.messages())[-1]
    await coordinator.press("🔔 Нагадати всім", escalation)
    for user in idle.values():
        await wait_for(user, "Координатор нагадує")


async def send_circular(scene: Scene) -> None:
    scene.chapter("A circular with acknowledgement: NAZK's clarification to every person")
    coordinator = await scene.coordinator()
    readers = [user for index, user in sorted(scene.persons.items()) if index not in IDLE]
    await circulars_act(coordinator, readers, acknowledging=len(readers) - 2)


async def consolidate(scene: Scene) -> dict[str, bytes]:
    scene.chapter("The consolidated report: /summary, one text edited in chat, the final files")
    coordinator = await scene.coordinator()
    await ask_for_summary(coordinator, "2026Q1")
    await edit_measure_text(coordinator, EDITED_TEXT)
    return await ask_for_summary(coordinator, "2026Q1")


async def own_report(scene: Scene) -> dict[str, bytes]:
    """The organisation's own DOCX that the shown person received after submitting."""
    user = scene.persons[SHOWN]
    for message in reversed(await user.messages()):
        name = message.document.file_name if message.document else None
        if message.document is not None and name and name.startswith("zvit_"):
            return {name: await user.client.download(message.document.file_id)}
    return {}


async def run() -> Outcome:
    """Play the whole story; return the transcript and the documents it produced."""
    emulator = TelegramEmulator(token=TOKEN)
    base_url = await emulator.start()
    clock = ManualClock(START)
    with tempfile.TemporaryDirectory(prefix="zvitbot-demo-") as tmp:
        settings = emulated_settings(
            base_url,
            Path(tmp) / "zvitbot.sqlite3",
            TOKEN,
            [COORDINATOR_ID],
            signer_position=DEMO_REQUISITES.signer_position,
            signer_name=DEMO_REQUISITES.signer_name,
            addressee_position=DEMO_REQUISITES.addressee_position,
            addressee_name=DEMO_REQUISITES.addressee_name,
            reminder_tick_seconds=0.1,
        )
        bot = await RunningBot.start(settings, clock)
        try:
            async with EmulatorClient(base_url) as client:
                scene = Scene(emulator, client, clock, bot)
                await setup_registry_and_plan(scene)
                await onboard_persons(scene)
                await refuse_outsiders(scene)
                await collect_reports(scene)
                await review_reports(scene)
                await send_circular(scene)
                await chase_late_reports(scene)
                documents = await consolidate(scene)
                documents.update(await own_report(scene))
                transcript = scene.finish()
        finally:
            await bot.stop()
            await emulator.stop()
    return Outcome(
        transcript, {"transcript.txt": (transcript + "\n").encode("utf-8"), **documents}
    )

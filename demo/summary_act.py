"""The demo's last act: the consolidated report, asked for in chat and written from the DB."""

from __future__ import annotations

from core.clock import Clock
from core.periods import Period
from emulator.client import SimUser
from reports.requisites import Requisites
from reports.summary_job import summary_files
from services.summary import NoRounds, load_summary
from storage.database import Database

FILES_PER_SUMMARY = 5  # report, letter, annex, XLSX, PNG
# Invented, like the rest of the demo's people.
DEMO_REQUISITES = Requisites(
    signer_position="Начальник відділу з питань запобігання та виявлення корупції",
    signer_name="Ганна ШЕВЧЕНКО",
    addressee_position="Міському голові",
    addressee_name="Василь МЕЛЬНИК",
)


async def write_summary(
    scene_db: Database, clock: Clock, period_code: str | None = None
) -> dict[str, bytes]:
    """The files by name, as `python -m bot summary` writes them; {} with no rounds."""
    period = Period.parse(period_code) if period_code else None
    loaded = await load_summary(scene_db, period, clock.now())
    if isinstance(loaded, NoRounds):
        return {}
    return (await summary_files(loaded, DEMO_REQUISITES)).by_name()


async def ask_for_summary(coordinator: SimUser, period_code: str = "") -> dict[str, bytes]:
    """The coordinator sends /summary [period]; returns the documents received, by name.

    Waits for the digest and the files; each may take a few seconds to render.
    """
    await coordinator.send(f"/summary {period_code}".strip())
    received: dict[str, bytes] = {}
    while len(received) < FILES_PER_SUMMARY:
        message = await coordinator.next_message(timeout=30)
        if message.document is None or message.document.file_name is None:
            continue
        received[message.document.file_name] = await coordinator.client.download(
            message.document.file_id
        )
    return received


async def edit_measure_text(coordinator: SimUser, text: str) -> None:
    """From the last digest: «✏️ Редагувати підсумки», the first measure's text replaced, done."""
    digest = next(
        m for m in reversed(await coordinator.messages()) if m.has_button("✏️ Редагувати підсумки")
    )
    await coordinator.press("✏️ Редагувати підсумки", digest)
    await coordinator.next_message()
    await coordinator.send(text)
    saved = await coordinator.next_message()
    await coordinator.press("✅ Готово", saved)
    await coordinator.next_message()

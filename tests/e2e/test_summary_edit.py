"""The coordinator replaces a measure's drafted text in chat; the edit is what the DOCX prints."""

from __future__ import annotations

import io
from datetime import timedelta

import docx

from emulator.client import BotMessage, SimUser
from storage import audit, summary_texts
from tests.e2e.harness import World
from tests.e2e.test_questionnaire import NATALIA, OLENA, ready, submit_everything
from tests.e2e.test_summary_chat import FILES

BOHDAN = (2, 5002, "Богдан")  # КП «Вербівтепло»
OWN_TEXT = "Уповноважені особи всіх організацій оновили переліки; порушень не виявлено."


async def summary(coordinator: SimUser, code: str = "") -> tuple[BotMessage, dict[str, bytes]]:
    """/summary: the digest's last message (with the editor's buttons) and the files by name."""
    await coordinator.send(f"/summary {code}".strip())
    digest: BotMessage | None = None
    files: dict[str, bytes] = {}
    while len(files) < len(FILES):
        message = await coordinator.next_message(timeout=20)
        if message.document is None or message.document.file_name is None:
            digest = message
            continue
        files[message.document.file_name] = await coordinator.client.download(
            message.document.file_id
        )
    assert digest is not None
    return digest, files


def state_of(report: bytes, number: str) -> str:
    table = docx.Document(io.BytesIO(report)).tables[0]
    [state] = [r.cells[4].text for r in table.rows if r.cells[0].text == number]
    return str(state)


async def submitted_by(zvit: World, *people: tuple[int, int, str]) -> SimUser:
    users = await ready(zvit, *people)
    coordinator = await zvit.coordinator()
    for index, person in enumerate(users):
        assert "Звіт подано" in (await submit_everything(person)).text
        if index == 0:  # the next ones within half an hour wait for the coordinators' tally
            assert "вчасно" in (await coordinator.next_message()).text
    return coordinator


async def open_first_page(coordinator: SimUser) -> BotMessage:
    digest, _ = await summary(coordinator)
    await coordinator.press("✏️ Редагувати підсумки", digest)
    page = await coordinator.next_message()
    assert "захід 1 з 13" in page.text and "Чернетка" in page.text
    assert not page.edited and page.message_id != digest.message_id  # the digest stays
    return page


async def test_an_edited_text_survives_a_restart_and_is_the_one_in_the_docx(zvit: World) -> None:
    coordinator = await submitted_by(zvit, OLENA, NATALIA)
    await open_first_page(coordinator)

    await coordinator.send(OWN_TEXT)
    saved = await coordinator.next_message()
    assert "Текст збережено" in saved.text and "Текст, замінений вручну" in saved.text
    assert OWN_TEXT in saved.text
    async with zvit.db.reading() as conn:
        entries = await audit.entries(conn, entity="summary:2026Q1")
    assert [e.action for e in entries] == ["summary.text.edit"]
    assert entries[0].after is not None and entries[0].after["text"] == OWN_TEXT

    await zvit.stop_bot()
    await zvit.start_bot()
    digest, files = await summary(coordinator)

    assert state_of(files["zvit_2026Q1.docx"], "1.1") == OWN_TEXT
    assert state_of(files["zvit_2026Q1.docx"], "1.2").startswith("Виконано у 2 з")
    assert "Текст замінено вручну: 1 захід" in digest.text
    assert "Можливо, застарів" not in digest.text


async def test_a_later_answer_flags_the_edit_as_possibly_stale_but_keeps_it(zvit: World) -> None:
    olena, natalia, bohdan = await ready(zvit, OLENA, NATALIA, BOHDAN)
    coordinator = await zvit.coordinator()
    await submit_everything(olena)
    await coordinator.next_message()  # the first notice; the next wait for the half-hour tally
    await submit_everything(natalia)
    await open_first_page(coordinator)
    await coordinator.send(OWN_TEXT)
    await coordinator.next_message()

    await submit_everything(bohdan)  # a third report changes the counts of every measure
    digest, files = await summary(coordinator)

    assert "Можливо, застарів" in digest.text and "1.1" in digest.text
    assert state_of(files["zvit_2026Q1.docx"], "1.1") == OWN_TEXT
    await coordinator.press("✏️ Редагувати підсумки", digest)
    page = await coordinator.next_message()
    assert "Можливо, застарів" in page.text and OWN_TEXT in page.text


async def test_too_long_empty_or_non_text_input_changes_nothing(zvit: World) -> None:
    coordinator = await submitted_by(zvit, OLENA)
    await open_first_page(coordinator)

    await coordinator.send("а" * 1201)
    refusal = await coordinator.next_message()
    assert "Текст задовгий: 1201 символ, а можна до 1200" in refusal.text
    await coordinator.send("\u200b")  # Telegram refuses blanks; a zero-width space passes
    assert "Текст порожній" in (await coordinator.next_message()).text
    await coordinator.send_photo()
    assert "потрібен текст підсумку" in (await coordinator.next_message()).text

    async with zvit.db.reading() as conn:
        assert await summary_texts.edits(conn, "2026Q1") == {}


async def test_revert_brings_the_draft_back(zvit: World) -> None:
    coordinator = await submitted_by(zvit, OLENA)
    await open_first_page(coordinator)
    await coordinator.send(OWN_TEXT)
    saved = await coordinator.next_message()

    await coordinator.press("↩ Повернути чернетку", saved)
    page = await coordinator.next_message()

    assert "Повернуто чернетку" in page.text and "Чернетка" in page.text
    assert OWN_TEXT not in page.text
    async with zvit.db.reading() as conn:
        assert await summary_texts.edits(conn, "2026Q1") == {}
        actions = [e.action for e in await audit.entries(conn, entity="summary:2026Q1")]
    assert actions == ["summary.text.edit", "summary.text.revert"]
    _, files = await summary(coordinator)
    assert state_of(files["zvit_2026Q1.docx"], "1.1").startswith("Виконано у 1 з 14")


async def test_pages_turn_and_the_answers_come_as_a_document(zvit: World) -> None:
    coordinator = await submitted_by(zvit, OLENA, NATALIA)
    page = await open_first_page(coordinator)

    await coordinator.press("Наступний ▶", page)
    second = await coordinator.next_message()
    assert "захід 2 з 13" in second.text and second.message_id == page.message_id
    await coordinator.press("📄 Відповіді організацій", second)
    answers = await coordinator.next_message(timeout=15)

    assert (
        answers.document is not None and answers.document.file_name == "vidpovidi_2026Q1_1.2.docx"
    )
    data = await coordinator.client.download(answers.document.file_id)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "КП «Міськводоканал»: Зроблено за заходом 1" in text
    assert "Ліцей № 7: Зроблено за заходом 1" in text


async def test_the_letters_proposal_is_edited_on_the_last_page(zvit: World) -> None:
    coordinator = await submitted_by(zvit, OLENA)
    digest, files = await summary(coordinator)
    letter = "\n".join(
        p.text for p in docx.Document(io.BytesIO(files["lyst_2026Q1.docx"])).paragraphs
    )
    assert "зняти з контролю" not in letter  # not the plan's last quarter: no proposal

    await coordinator.press("✏️ Пропозиція в листі", digest)
    assert "пропозиція в листі" in (await coordinator.next_message()).text
    await coordinator.send("Пропонуємо заслухати звіт КП «Вербівтепло» на нараді.")
    await coordinator.next_message()
    await coordinator.press("✅ Готово", (await coordinator.messages())[-1])
    assert "/summary 2026Q1" in (await coordinator.next_message()).text
    await coordinator.send("Цей текст уже нікуди не піде.")
    await coordinator.next_message()  # the help text: editing is over

    _, files = await summary(coordinator)
    letter = "\n".join(
        p.text for p in docx.Document(io.BytesIO(files["lyst_2026Q1.docx"])).paragraphs
    )
    assert "Пропонуємо заслухати звіт КП «Вербівтепло» на нараді." in letter
    async with zvit.db.reading() as conn:
        assert list(await summary_texts.edits(conn, "2026Q1")) == ["proposal"]


async def test_a_page_left_open_for_hours_no_longer_catches_text(zvit: World) -> None:
    coordinator = await submitted_by(zvit, OLENA)
    await open_first_page(coordinator)
    zvit.clock.advance(timedelta(hours=2))

    await coordinator.send("Текст для зовсім іншої справи, не для підсумків.")
    reply = await coordinator.next_message()

    assert "Текст збережено" not in reply.text
    async with zvit.db.reading() as conn:
        assert await summary_texts.edits(conn, "2026Q1") == {}

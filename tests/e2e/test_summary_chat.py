"""The coordinator asks for the consolidated report in chat and gets a digest and five files."""

from __future__ import annotations

import io

import docx
import openpyxl

from emulator.client import BotMessage, SimUser
from tests.e2e.harness import World
from tests.e2e.test_questionnaire import NATALIA, OLENA, ready, submit_everything

FILES = [
    "zvit_2026Q1.docx",
    "lyst_2026Q1.docx",
    "dodatok_2026Q1.docx",
    "zvit_2026Q1.xlsx",
    "progress_2026Q1.png",
]


async def summary_exchange(user: SimUser, command: str) -> tuple[list[str], list[BotMessage]]:
    """Send the command; collect the digest's messages and then the documents."""
    await user.send(command)
    texts: list[str] = []
    documents: list[BotMessage] = []
    while len(documents) < len(FILES):
        message = await user.next_message(timeout=20)
        if message.document is None:
            assert not documents, "the digest comes before the files"
            texts.append(message.text)
            continue
        documents.append(message)
    return texts, documents


async def two_submitted(zvit: World) -> SimUser:
    olena, natalia = await ready(zvit, OLENA, NATALIA)
    coordinator = await zvit.coordinator()
    for person in (olena, natalia):
        assert "Звіт подано" in (await submit_everything(person)).text
    # The first report's notice comes at once; the second waits for the half-hour tally.
    assert "вчасно" in (await coordinator.next_message()).text
    return coordinator


async def test_summary_sends_the_digest_then_report_letter_annex_xlsx_and_chart(
    zvit: World,
) -> None:
    coordinator = await two_submitted(zvit)

    texts, documents = await summary_exchange(coordinator, "/summary")

    digest = "\n".join(texts)
    assert "Зведений звіт за I квартал 2026 року" in digest
    assert "Подали 2 з 14" in digest
    assert [d.document.file_name for d in documents if d.document] == FILES
    assert "місце для підпису" in documents[0].text
    assert all(0 < len(d.text) <= 1024 for d in documents)  # captions; the emulator checks too

    raw = {
        d.document.file_name: await coordinator.client.download(d.document.file_id)
        for d in documents
        if d.document
    }
    table = docx.Document(io.BytesIO(raw["zvit_2026Q1.docx"])).tables[0]
    [state] = [r.cells[4].text for r in table.rows if r.cells[0].text == "1.1"]
    assert state.startswith("Виконано у 2 з 14 організацій (14\u00a0%), не подали — 12.")
    assert "— 2 організації (КП «Міськводоканал», Ліцей № 7)" in state
    assert state.endswith("Стан виконання – 14\u00a0%.")
    annex = "\n".join(
        p.text for p in docx.Document(io.BytesIO(raw["dodatok_2026Q1.docx"])).paragraphs
    )
    assert "КП «Міськводоканал»: Зроблено за заходом 0" in annex

    indicators = openpyxl.load_workbook(io.BytesIO(raw["zvit_2026Q1.xlsx"])).worksheets[1]
    assert indicators.cell(2, 3).value == 4  # the first indicator: 2 + 2
    assert raw["progress_2026Q1.png"].startswith(b"\x89PNG")


async def test_summary_for_a_named_period_and_a_bad_one(zvit: World) -> None:
    coordinator = await two_submitted(zvit)

    texts, documents = await summary_exchange(coordinator, "/summary 2026")
    assert "Зведений звіт за 2026 рік" in texts[0]
    assert [d.document.file_name for d in documents if d.document] == [
        name.replace("2026Q1", "2026") for name in FILES
    ]

    await coordinator.send("/summary 2026Q3")
    nothing = await coordinator.next_message()
    assert "За III квартал 2026 року не було жодного збору" in nothing.text
    await coordinator.send("/summary минулий")
    usage = await coordinator.next_message()
    assert "Не вдалося розпізнати період «минулий»" in usage.text
    assert "/summary 2026H1" in usage.text


async def test_summary_before_any_round_explains_there_is_nothing_yet(zvit: World) -> None:
    coordinator = await zvit.coordinator()
    await coordinator.send("/summary")
    assert "Ще не було жодного збору звітів" in (await coordinator.next_message()).text


async def test_a_person_asking_for_the_summary_is_refused(zvit: World) -> None:
    [olena] = await ready(zvit, OLENA)
    await olena.next_message()  # the round invitation

    await olena.send("/summary")
    refusal = await olena.next_message()

    assert "лише працівникам відділу" in refusal.text
    assert refusal.document is None and await olena.pending() == []


async def test_a_file_telegram_refuses_does_not_stop_the_others(zvit: World) -> None:
    """Quarter's edges, case 17: each file is tried, and the failures are named."""
    coordinator = await two_submitted(zvit)
    await zvit.client.set_faults("500", count=1, methods=["sendDocument"])

    await coordinator.send("/summary")
    received: list[str] = []
    failure = None
    while failure is None:
        message = await coordinator.next_message(timeout=20)
        if message.document is not None and message.document.file_name:
            received.append(message.document.file_name)
        elif "Не вдалося надіслати" in message.text:
            failure = message

    assert received == FILES[1:]
    assert "Не вдалося надіслати: zvit_2026Q1.docx. Решту файлів надіслано." in failure.text

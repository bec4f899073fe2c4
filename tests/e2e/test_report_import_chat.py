"""The coordinator sends an organisation's own Word (or Excel) report: preview, then save."""

from __future__ import annotations

import io
import zipfile

import pytest

from core.models import ReportState
from demo.plan_documents import Table, docx_bytes, encrypted_office_bytes, legacy_doc_bytes
from demo.registry_data import ENTERPRISES
from demo.report_data import PROGRESS_HEADERS, report_docx, report_xlsx
from reports.tabular import MAX_UNPACKED_BYTES
from storage import registry, reporting
from storage.database import fetch_one
from tests.e2e.harness import World, callback_answer, open_round_via_chat, save_demo_plan

LYCEUM = next(e for e in ENTERPRISES if e.short_name == "Ліцей № 7")
TEXT_LIMIT = 4096


async def round_open(zvit: World) -> None:
    await zvit.seed_registry()
    await save_demo_plan(zvit)
    await open_round_via_chat(zvit)


async def lyceum_report(zvit: World) -> tuple[int, ReportState, int]:
    """How many reports the lyceum has, and the state and version of the latest."""
    async with zvit.db.reading() as conn:
        enterprise = await registry.enterprise_by_edrpou(conn, LYCEUM.edrpou)
        assert enterprise is not None
        row = await fetch_one(
            conn, "SELECT COUNT(*), MAX(id) FROM reports WHERE enterprise_id = ?", (enterprise.id,)
        )
        assert row is not None
        report = await reporting.get_report(conn, row[1])
    assert report is not None
    return row[0], report.state, report.version


async def test_a_report_document_is_previewed_survives_a_restart_and_counts_once_saved(
    zvit: World,
) -> None:
    await round_open(zvit)
    coordinator = await zvit.coordinator()
    await coordinator.send_document("Звіт ліцею.docx", report_docx(), caption=LYCEUM.edrpou)
    preview = await coordinator.next_message()
    text = preview.text
    assert len(text) <= TEXT_LIMIT
    assert f"Організація: Ліцей № 7 (ЄДРПОУ {LYCEUM.edrpou})" in text
    assert "Період: I квартал 2026 року" in text and "визначено за текстом документа" not in text
    assert "Відповіді знайдено для 12 з 13 заходів (9 — за номером, 3 — за текстом)" in text
    assert "виконано — 8, виконується — 2, не виконано — 1, не застосовується — 1" in text
    assert "❌ 1.2 — не виконано: «Не проведено: нараду перенесено на квітень.»" in text
    assert "Рядки, яких немає в плані (1)" in text and "2.4 Провести конкурс" in text
    assert "Заходи без відповіді в документі (1):\n• 4.2. Нагадувати" in text
    assert preview.button_texts() == ["Зберегти", "Скасувати"]
    assert (await lyceum_report(zvit))[1:] == (ReportState.NOT_STARTED, 0)

    await zvit.stop_bot()  # the pending import is in the database, not in memory
    await zvit.start_bot()
    await callback_answer(coordinator, await coordinator.press("Зберегти", preview))
    saved = await coordinator.next_message()
    assert saved.edited and "Звіт збережено" in saved.text and "версія 1" in saved.text
    assert "до 12 відповідей" in saved.text
    await coordinator.send("/status")
    status = await coordinator.next_message()
    assert "Подано: 1 з 14" in status.text and "📨 Ліцей № 7" in status.text

    # Again, from Excel with no caption: the title above the table names the lyceum.
    await coordinator.send_document("zvit.xlsx", report_xlsx(PROGRESS_HEADERS[1]))
    again = await coordinator.next_message()
    assert "визначено за текстом документа, перевірте" in again.text
    assert "Звіт уже подано (версія 1); збереження створить версію 2" in again.text
    await coordinator.press("Зберегти", again)
    assert "версія 2" in (await coordinator.next_message()).text
    assert await lyceum_report(zvit) == (1, ReportState.SUBMITTED, 2)

    # An old preview pressed again changes nothing.
    query = await coordinator.press_data(preview.button("Зберегти")[1], preview.message_id)
    assert "уже збережено або скасовано" in str(
        (await callback_answer(coordinator, query))["text"]
    )
    assert await lyceum_report(zvit) == (1, ReportState.SUBMITTED, 2)


async def test_whose_report_is_asked_when_the_title_names_two_and_cancel_saves_nothing(
    zvit: World,
) -> None:
    await round_open(zvit)
    coordinator = await zvit.coordinator()
    title = "Спільний звіт: Ліцей № 7 та Ліцей № 15 Вербівської міської ради"
    await coordinator.send_document("zvit.docx", report_docx(title=title))
    pick = await coordinator.next_message()
    assert "Якої організації цей звіт?" in pick.text
    assert pick.button_texts()[-1] == "Скасувати" and len(pick.button_texts()) == 3
    await coordinator.press(f"Ліцей № 7 · {LYCEUM.edrpou}", pick)
    preview = await coordinator.next_message()
    assert preview.edited and "Організація: <b>" not in preview.text
    assert "Організація: Ліцей № 7" in preview.text and "Зберегти" in preview.button_texts()
    await coordinator.press("Скасувати", preview)
    assert "скасовано. Нічого не збережено" in (await coordinator.next_message()).text
    assert await lyceum_report(zvit) == (1, ReportState.NOT_STARTED, 0)

    await coordinator.send_document("zvit.docx", report_docx(title="ЗВІТ за I квартал"))
    assert "ЄДРПОУ організації (8 цифр)" in (await coordinator.next_message()).text


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("word/document.xml", bytes(MAX_UNPACKED_BYTES + 1))
    return buffer.getvalue()


NO_MEASURE_COLUMN = Table(
    rows=[["№", "Строк", "Відповідальні", "Стан виконання"], ["1", "Постійно", "УО", "Так"]]
)


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("zvit.doc", legacy_doc_bytes(), "старого формату Word"),
        ("zvit.docx", encrypted_office_bytes(), "захищено паролем"),
        ("zvit.docx", docx_bytes(NO_MEASURE_COLUMN), "рядок заголовків"),
        ("zvit.docx", zip_bomb(), "МБ"),
        ("zvit.docx", b"PK" + bytes(5 * 1024 * 1024 + 10), "Файл завеликий"),
    ],
    ids=["doc", "encrypted", "no-measure-column", "zip-bomb", "too-large"],
)
async def test_a_bad_report_file_gets_a_clear_message_and_saves_nothing(
    zvit: World, filename: str, data: bytes, message: str
) -> None:
    await zvit.seed_registry()
    await save_demo_plan(zvit)
    coordinator = await zvit.coordinator()
    await coordinator.send_document(filename, data, caption=LYCEUM.edrpou)
    reply = await coordinator.next_message()
    assert message in reply.text and "Нічого не збережено" in reply.text
    async with zvit.db.reading() as conn:
        imports = await fetch_one(conn, "SELECT COUNT(*) FROM report_imports")
        plans = await fetch_one(conn, "SELECT COUNT(*) FROM plans")
    assert imports is not None and imports[0] == 0 and plans is not None and plans[0] == 1

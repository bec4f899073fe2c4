import pytest

from demo.plan_data import TITLE, plan_docx
from demo.plan_documents import (
    Table,
    csv_bytes,
    docx_bytes,
    encrypted_office_bytes,
    legacy_doc_bytes,
)
from storage import plans
from storage.database import fetch_one
from tests.e2e.harness import World, callback_answer

HEADER = ["№", "Найменування заходу", "Строк виконання", "Відповідальні"]


async def plans_stored(zvit: World) -> int:
    async with zvit.db.reading() as conn:
        row = await fetch_one(conn, "SELECT COUNT(*) FROM plans")
    return int(row[0]) if row else -1


async def test_upload_preview_save_then_read_the_plan(zvit: World) -> None:
    coordinator = await zvit.coordinator()
    await coordinator.send_document("План 2026-2027.docx", plan_docx())
    preview = await coordinator.next_message()
    assert TITLE in preview.text
    assert "5 розділів, 13 заходів" in preview.text
    assert "1. Організаційне забезпечення — заходів: 3" in preview.text
    assert "1.1. Актуалізувати перелік уповноважених осіб" in preview.text
    assert preview.button_texts() == ["Зберегти", "Скасувати"]
    assert await plans_stored(zvit) == 0  # nothing before confirmation

    await callback_answer(coordinator, await coordinator.press("Зберегти", preview))
    saved = await coordinator.next_message()
    assert saved.edited and "План збережено" in saved.text
    assert "версію 1 на 2026–2027 роки" in saved.text
    assert "14 числових показників" in saved.text
    async with zvit.db.reading() as conn:
        plan = await plans.latest_active_plan(conn)
        assert plan is not None
        measures = await plans.measures(conn, plan.id)
    assert [m.number for m in measures][:4] == ["1.1", "1.2", "1.3", "2.1"]

    # A second press on the same old preview changes nothing.
    query = await coordinator.press_data(preview.button("Зберегти")[1], preview.message_id)
    assert "вже завершено" in str((await callback_answer(coordinator, query)).get("text"))
    assert await plans_stored(zvit) == 1

    await coordinator.send("/plan")
    page = await coordinator.next_message()
    assert "Версія 1" in page.text and "1. Організаційне забезпечення" in page.text
    assert "Строк: Щокварталу" in page.text


async def test_cancelled_upload_stores_nothing(zvit: World) -> None:
    coordinator = await zvit.coordinator()
    await coordinator.send_document("plan.docx", plan_docx())
    preview = await coordinator.next_message()
    await coordinator.press("Скасувати", preview)
    assert "скасовано" in (await coordinator.next_message()).text
    assert await plans_stored(zvit) == 0


async def test_reimport_creates_a_new_active_version_and_keeps_the_old(zvit: World) -> None:
    coordinator = await zvit.coordinator()
    for _ in range(2):
        await coordinator.send_document("plan.docx", plan_docx())
        await coordinator.press("Зберегти", await coordinator.next_message())
        await coordinator.next_message()
    async with zvit.db.reading() as conn:
        first = await plans.get_plan(conn, 1)
        second = await plans.latest_active_plan(conn)
        old_measures = await plans.measures(conn, 1)
    assert first is not None and not first.active and len(old_measures) == 13
    assert second is not None and second.version == 2 and second.active


async def test_order_and_kinds_are_set_from_chat(zvit: World) -> None:
    coordinator = await zvit.coordinator()
    await coordinator.send_document("plan.docx", plan_docx())
    await coordinator.press("Зберегти", await coordinator.next_message())
    await coordinator.next_message()
    await coordinator.send("/planorder № 98 від 12.01.2026")
    assert "№\u00a098 від 12.01.2026" in (await coordinator.next_message()).text
    await coordinator.send("/kinds 3.2 комунальне підприємство, охорона здоров'я")
    reply = await coordinator.next_message()
    assert "лише таких типів: комунальне підприємство, заклад охорони здоров'я" in reply.text
    await coordinator.send("/kinds 3.2 космос")
    assert "Не вдалося розпізнати: космос" in (await coordinator.next_message()).text


def cp1251_plan() -> bytes:
    rows = [HEADER, ["1", "Провести навчання з етики", "Щокварталу", "Уповноважені особи"]]
    return csv_bytes(rows, delimiter=";", encoding="cp1251")


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("big.docx", b"PK" + bytes(5 * 1024 * 1024 + 10), "Файл завеликий"),
        ("notes.docx", docx_bytes("Лише текст, без таблиці."), "У документі немає таблиці"),
        (
            "nohead.docx",
            docx_bytes(Table(rows=[["а", "б"], ["в", "г"]])),
            "Не вдалося знайти рядок заголовків",
        ),
        ("empty.docx", docx_bytes(Table(rows=[HEADER])), "немає жодного рядка з даними"),
        ("broken.docx", b"PK\x03\x04 this is not really a zip", "пошкоджений"),
        ("secret.docx", encrypted_office_bytes(), "захищено паролем"),
        ("old.doc", legacy_doc_bytes(), "старого формату Word"),
        ("plan.pdf", b"%PDF-1.4 fake", "формат не підтримується"),
    ],
)
async def test_bad_plan_files_get_a_specific_message_and_store_nothing(
    zvit: World, filename: str, data: bytes, message: str
) -> None:
    coordinator = await zvit.coordinator()
    await coordinator.send_document(filename, data)
    reply = await coordinator.next_message()
    assert message in reply.text
    assert "Нічого не збережено" in reply.text
    assert reply.buttons == []
    assert await plans_stored(zvit) == 0
    async with zvit.db.reading() as conn:
        row = await fetch_one(conn, "SELECT COUNT(*) FROM plan_uploads")
    assert row is not None and row[0] == 0


async def test_a_cp1251_csv_plan_is_read(zvit: World) -> None:
    coordinator = await zvit.coordinator()
    await coordinator.send_document("plan.csv", cp1251_plan())
    preview = await coordinator.next_message()
    assert "\n1. Провести навчання з етики" in preview.text


async def test_a_person_sending_a_plan_is_not_asked_to_save_it(zvit: World) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(1, 5001, "Олена")
    await olena.send_document("plan.docx", plan_docx())
    reply = await olena.next_message()
    assert reply.buttons == []
    assert await plans_stored(zvit) == 0


async def test_a_plan_with_an_empty_progress_column_is_read_as_a_plan(zvit: World) -> None:
    """A plan may carry «Відмітка про виконання» for the reports to come, left empty: it is a
    plan, not an organisation's report."""
    coordinator = await zvit.coordinator()
    table = Table(
        rows=[
            [*HEADER, "Відмітка про виконання"],
            ["1", "Провести навчання з етичної поведінки", "І квартал", "Відділ кадрів", ""],
            ["2", "Оновити пам'ятку про конфлікт інтересів", "ІІ квартал", "Юридичний відділ", ""],
        ]
    )
    await coordinator.send_document("plan.docx", docx_bytes(table))

    preview = await coordinator.next_message()

    assert "План заходів з файлу «plan.docx»" in preview.text
    assert preview.has_button("Зберегти")

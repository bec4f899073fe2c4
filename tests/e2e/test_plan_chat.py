import pytest

from demo.plan_data import TITLE, plan_docx
from demo.plan_documents import (
    Table,
    csv_bytes,
    docx_bytes,
    encrypted_office_bytes,
    legacy_doc_bytes,
)
from emulator.client import BotMessage, SimUser
from reports.indicator_reader import default_indicators
from storage import plans
from storage.database import fetch_one
from tests.e2e.harness import World, callback_answer
from ui.callbacks import PlanIndicator

CODES = [i.code for i in default_indicators()]
TEXT_LIMIT = 4096

HEADER = ["№", "Найменування заходу", "Строк виконання", "Відповідальні"]


async def plans_stored(zvit: World) -> int:
    async with zvit.db.reading() as conn:
        row = await fetch_one(conn, "SELECT COUNT(*) FROM plans")
    return int(row[0]) if row else -1


async def upload(zvit: World, data: bytes | None = None) -> tuple[SimUser, BotMessage]:
    """The coordinator sends the demo plan: the preview, then the offer with its toggles."""
    coordinator = await zvit.coordinator()
    await coordinator.send_document("План 2026-2027.docx", data or plan_docx())
    preview = await coordinator.next_message()
    assert preview.buttons == [] and "План заходів з файлу" in preview.text
    return coordinator, await coordinator.next_message()


async def toggle(coordinator: SimUser, offer: BotMessage, code: str) -> BotMessage:
    """Press an indicator's toggle (by its place in the default list); the edited offer."""
    await callback_answer(
        coordinator, await coordinator.press(offer.button_texts()[at(code)], offer)
    )
    edited = await coordinator.next_message()
    assert edited.edited and edited.message_id == offer.message_id
    return edited


def at(code: str) -> int:
    return CODES.index(code)


def line_of(offer: BotMessage, code: str) -> str:
    """The offer's line of an indicator: «✅ 1. Label, unit — захід 2.3 «…»»."""
    number = f" {at(code) + 1}. "
    return next(
        line
        for line in offer.text.splitlines()
        if line[1:].startswith(number) or line[2:].startswith(number)
    )


async def saved_indicators(zvit: World) -> list[tuple[str, str]]:
    async with zvit.db.reading() as conn:
        plan = await plans.latest_active_plan(conn)
        assert plan is not None
        return [(i.code, i.measure_number) for i in await plans.indicators(conn, plan.id)]


async def test_upload_preview_save_then_read_the_plan(zvit: World) -> None:
    coordinator = await zvit.coordinator()
    await coordinator.send_document("План 2026-2027.docx", plan_docx())
    preview = await coordinator.next_message()
    assert TITLE in preview.text
    assert "5 розділів, 13 заходів" in preview.text
    assert "1. Організаційне забезпечення — заходів: 3" in preview.text
    assert "1.1. Актуалізувати перелік уповноважених осіб" in preview.text
    offer = await coordinator.next_message()
    assert "Числові показники плану" in offer.text
    assert len(offer.buttons) == 15  # a toggle a row, then one row of Save / Cancel
    assert [text for text, _ in offer.buttons[-1]] == ["Зберегти", "Скасувати"]
    assert all(text.startswith("▫️ ") for text in offer.button_texts()[:14])
    assert await plans_stored(zvit) == 0  # nothing before confirmation

    await callback_answer(coordinator, await coordinator.press("Зберегти", offer))
    saved = await coordinator.next_message()
    assert saved.edited and saved.message_id == offer.message_id
    assert "План збережено" in saved.text
    assert "версію 1 на 2026–2027 роки" in saved.text
    assert "без числових показників" in saved.text  # none chosen, none added
    assert await saved_indicators(zvit) == []
    async with zvit.db.reading() as conn:
        plan = await plans.latest_active_plan(conn)
        assert plan is not None
        measures = await plans.measures(conn, plan.id)
    assert [m.number for m in measures][:4] == ["1.1", "1.2", "1.3", "2.1"]

    # A second press on the same old preview changes nothing.
    query = await coordinator.press_data(offer.button("Зберегти")[1], offer.message_id)
    assert "вже завершено" in str((await callback_answer(coordinator, query)).get("text"))
    assert await plans_stored(zvit) == 1

    await coordinator.send("/plan")
    page = await coordinator.next_message()
    assert "Версія 1" in page.text and "1. Організаційне забезпечення" in page.text
    assert "Строк: Щокварталу" in page.text


async def test_the_offer_proposes_a_measure_for_each_indicator(zvit: World) -> None:
    """Indicators the coordinator chose: each offered with the measure its words match."""
    _, offer = await upload(zvit)
    lines = {line.split(". ", 1)[0][3:]: line for line in offer.text.splitlines() if "▫️" in line}
    assert len(lines) == 14
    assert "захід 2.3 «Надавати працівникам консультації" in lines["1"]  # consultations
    assert (
        "захід 5.2 «Розглядати повідомлення викривачів"
        in lines[str(at("whistleblower_reports") + 1)]
    )
    assert lines[str(at("acts_vetted") + 1)].endswith("без заходу")
    assert "Не обрано жодного" in offer.text
    assert len(offer.text) <= TEXT_LIMIT


async def test_the_chosen_indicators_are_saved_exactly_and_survive_a_restart(
    zvit: World,
) -> None:
    coordinator, offer = await upload(zvit)
    offer = await toggle(coordinator, offer, "consultations")
    offer = await toggle(coordinator, offer, "trainings_attended")
    assert offer.button_texts()[0].startswith("✅ 1. ")
    assert "Обрано 2 з 14" in offer.text

    await zvit.stop_bot()
    await zvit.start_bot()
    offer = await toggle(coordinator, offer, "whistleblower_reports")
    offer = await toggle(coordinator, offer, "trainings_attended")  # switched off again
    assert "Обрано 2 з 14" in offer.text
    await coordinator.press("Зберегти", offer)
    saved = await coordinator.next_message()

    assert "2 числові показники" in saved.text
    assert "• Надано консультацій з питань запобігання корупції — захід 2.3" in saved.text
    assert await saved_indicators(zvit) == [
        ("consultations", "2.3"),
        ("whistleblower_reports", "5.2"),
    ]


async def test_a_stale_or_forged_toggle_changes_nothing(zvit: World) -> None:
    coordinator, offer = await upload(zvit)
    first = offer.button_texts()[0]
    forged = PlanIndicator(upload_id=int(offer.button(first)[1].split(":")[1]), index=14).pack()
    query = await coordinator.press_data(forged, offer.message_id)
    assert "вже завершено" in str((await callback_answer(coordinator, query)).get("text"))
    await coordinator.press("Скасувати", offer)
    assert "скасовано" in (await coordinator.next_message()).text

    query = await coordinator.press_data(offer.button(first)[1], offer.message_id)
    assert "вже завершено" in str((await callback_answer(coordinator, query)).get("text"))
    assert await plans_stored(zvit) == 0
    async with zvit.db.reading() as conn:
        row = await fetch_one(conn, "SELECT offer_json FROM plan_uploads")
    assert row is not None and '"chosen": true' not in row[0]


async def test_indicator_moves_a_chosen_indicator_and_a_new_version_keeps_the_choice(
    zvit: World,
) -> None:
    """/indicator CODE N still changes the measure; a re-imported plan offers the version's own
    indicators switched on, at the measures they had."""
    coordinator, offer = await upload(zvit)
    offer = await toggle(coordinator, offer, "consultations")
    await coordinator.press("Зберегти", offer)
    await coordinator.next_message()
    await coordinator.send("/indicator consultations 1.1")
    assert "тепер належить заходу 1.1" in (await coordinator.next_message()).text
    assert await saved_indicators(zvit) == [("consultations", "1.1")]

    coordinator, offer = await upload(zvit)
    assert offer.button_texts()[0].startswith("✅ 1. ")
    assert "Обрано 1 з 14" in offer.text
    assert "— захід 1.1 «Актуалізувати перелік" in line_of(offer, "consultations")
    await coordinator.press("Зберегти", offer)
    await coordinator.next_message()
    assert await saved_indicators(zvit) == [("consultations", "1.1")]


async def test_cancelled_upload_stores_nothing(zvit: World) -> None:
    coordinator, offer = await upload(zvit)
    await coordinator.press("Скасувати", offer)
    assert "скасовано" in (await coordinator.next_message()).text
    assert await plans_stored(zvit) == 0


async def test_reimport_creates_a_new_active_version_and_keeps_the_old(zvit: World) -> None:
    for _ in range(2):
        coordinator, offer = await upload(zvit)
        await coordinator.press("Зберегти", offer)
        await coordinator.next_message()
    async with zvit.db.reading() as conn:
        first = await plans.get_plan(conn, 1)
        second = await plans.latest_active_plan(conn)
        old_measures = await plans.measures(conn, 1)
    assert first is not None and not first.active and len(old_measures) == 13
    assert second is not None and second.version == 2 and second.active


async def test_order_and_kinds_are_set_from_chat(zvit: World) -> None:
    coordinator, offer = await upload(zvit)
    await coordinator.press("Зберегти", offer)
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
    offer = await coordinator.next_message()
    assert "захід 1 «Провести навчання з етики»" in offer.text  # trainings held


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
    offer = await coordinator.next_message()

    assert "План заходів з файлу «plan.docx»" in preview.text
    assert offer.has_button("Зберегти")

"""Circulars end to end: compose, audience, preview, send, acknowledge, track, remind, export."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiogram.types import Chat, Message, MessageEntity, Update, User
from openpyxl import load_workbook

from core.circulars import CircularState
from core.clock import ManualClock
from core.models import PersonStatus
from demo.circulars_act import circulars_act
from emulator.client import BotMessage, SimUser
from scheduler.circulars import JOB_ID, remind_unacknowledged
from storage import audit, circulars, outbox, registry
from tests.e2e.harness import COORDINATOR_ID, World, callback_answer, next_screen, world

OLENA = (1, 5001, "Олена")  # КП «Міськводоканал», a municipal enterprise
BOHDAN = (2, 5002, "Богдан")  # КП «Вербівтепло», municipal
NATALIA = (4, 5004, "Наталія")  # Ліцей № 7, education
ACK = "Підтверджую ознайомлення"
TEXT = "Роз'яснення НАЗК щодо конфлікту інтересів: ознайомтеся до п'ятниці."


@pytest.fixture
async def zvit(tmp_path: Path, clock: ManualClock) -> AsyncIterator[World]:
    async with world(tmp_path, clock) as state:
        yield state


async def message_containing(user: SimUser, text: str) -> BotMessage:
    while text not in (message := await user.next_message()).text:
        pass
    return message


async def compose_text(coordinator: SimUser, text: str = TEXT) -> BotMessage:
    await coordinator.send("/circular")
    assert "Надішліть одним повідомленням" in (await coordinator.next_message()).text
    await coordinator.send(text)
    return await coordinator.next_message()


async def send_to_everyone(coordinator: SimUser, audience: BotMessage) -> BotMessage:
    await coordinator.press("Усім уповноваженим", audience)
    control = await preview(coordinator)
    await coordinator.press("Надіслати", control)
    return await coordinator.next_message()


async def preview(coordinator: SimUser) -> BotMessage:
    """Skip the edited audience screen and the content copy; return the control message."""
    while "перевірте перед надсиланням" not in (message := await next_screen(coordinator)).text:
        pass
    return message


async def delivered(user: SimUser) -> BotMessage:
    while not (message := await user.next_message()).has_button(ACK):
        pass
    return message


async def test_a_text_circular_to_everyone_is_acknowledged_and_its_button_shows_when(
    zvit: World,
) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(*OLENA)
    natalia = await zvit.bound_person(*NATALIA)
    coordinator = await zvit.coordinator()

    audience = await compose_text(coordinator)
    assert "Циркуляр №\u00a01: чернетку збережено (текст)" in audience.text
    await coordinator.press("Усім уповноваженим", audience)
    chosen = await coordinator.next_message()
    assert chosen.edited and "Отримувачі: усі уповноважені особи" in chosen.text
    copy = await coordinator.next_message()
    assert copy.text == TEXT and copy.buttons == []
    control = await coordinator.next_message()
    assert "Усього — 14 осіб; у Telegram — 2; ще не підключені до бота — 12" in control.text
    assert control.button_texts() == ["Надіслати", "Змінити отримувачів", "Скасувати"]

    await coordinator.press("Надіслати", control)
    sent = await coordinator.next_message()
    assert sent.edited and "у черзі на доставку — 2; не підключені до бота — 12" in sent.text

    circular = await delivered(olena)
    assert circular.text == TEXT and circular.button_texts() == [ACK]
    zvit.clock.advance(timedelta(minutes=41))  # 10:41 in Kyiv
    query = await olena.press(ACK, circular)
    assert "зафіксовано" in str((await callback_answer(olena, query))["text"])
    edited = await olena.next_message()
    assert edited.edited and edited.message_id == circular.message_id
    assert edited.button_texts() == ["✅ Ознайомлено 02.03.2026 о 10:41"]

    zvit.clock.advance(timedelta(hours=1))
    again = await olena.press("✅ Ознайомлено 02.03.2026 о 10:41", edited)
    assert "вже ознайомилися 02.03.2026 о 10:41" in str(
        (await callback_answer(olena, again))["text"]
    )
    async with zvit.db.reading() as conn:
        receipt = await circulars.receipt_of(conn, 1, OLENA[0])
        other = await circulars.receipt_of(conn, 1, NATALIA[0])
        actions = [e.action for e in await audit.entries(conn, entity="circular", entity_id=1)]
    assert receipt is not None and receipt.acknowledged_at == datetime(
        2026, 3, 2, 8, 41, tzinfo=UTC
    )
    assert other is not None and other.acknowledged_at is None
    assert actions == ["circular.draft", "circular.send", "circular.acknowledge"]
    assert (await delivered(natalia)).text == TEXT


async def test_a_document_circular_to_one_kind_reaches_only_that_kind(zvit: World) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(*OLENA)
    natalia = await zvit.bound_person(*NATALIA)
    coordinator = await zvit.coordinator()
    await coordinator.send("/circular")
    await coordinator.next_message()

    await coordinator.send_sticker()
    refused = await coordinator.next_message()
    assert "чекає на текст циркуляра, документ або фото, а ви надіслали стікер" in refused.text
    await coordinator.send_document(
        "podarunky.pdf", b"%PDF-1.4 fictional", caption="Про подарунки"
    )
    audience = await coordinator.next_message()
    assert "документ «podarunky.pdf» з підписом" in audience.text

    await coordinator.press("За типами організацій", audience)
    kinds = await coordinator.next_message()
    query = await coordinator.press("Готово", kinds)
    assert "хоча б один тип" in str((await callback_answer(coordinator, query))["text"])
    await coordinator.press("▫️ заклад освіти", kinds)
    kinds = await coordinator.next_message()
    assert "☑️ заклад освіти" in kinds.button_texts()
    await coordinator.press("Готово", kinds)
    await coordinator.next_message()  # the screen, now naming the audience
    copy = await coordinator.next_message()
    assert copy.document is not None and copy.document.file_name == "podarunky.pdf"
    control = await coordinator.next_message()
    assert "типи організацій: заклад освіти" in control.text
    assert "Усього — 4 особи; у Telegram — 1" in control.text
    await coordinator.press("Надіслати", control)
    await coordinator.next_message()

    circular = await delivered(natalia)
    assert circular.document is not None and circular.document.file_name == "podarunky.pdf"
    assert circular.text == "Про подарунки"
    await natalia.press(ACK, circular)
    assert (await natalia.next_message()).button_texts()[0].startswith("✅ Ознайомлено")
    await zvit.settled()
    async with zvit.db.reading() as conn:
        rows = await outbox.with_key_prefix(conn, "circular:1:")
    assert [row.person_id for row in rows] == [NATALIA[0]]
    assert not [m for m in await olena.pending() if m.has_button(ACK)]


async def test_picked_enterprises_are_chosen_on_pages(zvit: World) -> None:
    await zvit.seed_registry()
    await zvit.bound_person(*OLENA)
    coordinator = await zvit.coordinator()
    audience = await compose_text(coordinator)

    await coordinator.press("Вибрати організації", audience)
    page = await coordinator.next_message()
    assert "Сторінка 1 з 2" in page.text and "Далі »" in page.button_texts()
    await coordinator.press("▫️ КП «Міськводоканал»", page)
    page = await coordinator.next_message()
    await coordinator.press("Далі »", page)
    page = await coordinator.next_message()
    assert "Сторінка 2 з 2" in page.text and "обрано: 1" in page.text
    await coordinator.press("▫️ КУ «Міський архів»", page)
    await coordinator.press("Готово", await coordinator.next_message())
    control = await preview(coordinator)
    assert "обрані організації (2): КП «Міськводоканал», КУ «Міський архів»" in control.text
    assert "Усього — 2 особи; у Telegram — 1" in control.text

    await coordinator.press("Скасувати", control)
    assert "скасовано" in (await coordinator.next_message()).text
    async with zvit.db.reading() as conn:
        circular = await circulars.get(conn, 1)
    assert circular is not None and circular.state is CircularState.CANCELLED


async def test_tracking_counts_reminds_once_a_day_and_exports_the_sheet(zvit: World) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(*OLENA)
    bohdan = await zvit.bound_person(*BOHDAN)
    natalia = await zvit.bound_person(*NATALIA)
    coordinator = await zvit.coordinator()
    await coordinator.send("/start")
    await coordinator.next_message()
    await bohdan.block()
    # Telegram tells the bot at once; the circular's 403 later makes no second notice that day.
    await message_containing(coordinator, "Богдан Ігорович Савчук")
    await send_to_everyone(coordinator, await compose_text(coordinator))
    await olena.press(ACK, await delivered(olena))
    await olena.next_message()
    await delivered(natalia)
    await zvit.settled()
    assert len([m for m in await coordinator.messages() if "Богдан Ігорович" in m.text]) == 1

    await coordinator.send("/circulars")
    listing = await coordinator.next_message()
    assert "№\u00a01</b>" in listing.html and "Роз'яснення НАЗК щодо конфлікту" in listing.text
    assert "доставлено 2 з 14, ознайомилися — 1, недоступні — 12" in listing.text
    await coordinator.press("№\u00a01", listing)
    detail = await coordinator.next_message()
    assert "Ще не ознайомилися (13)" in detail.text
    assert "📭 Ліцей № 7 — Наталія Василівна Коваль" in detail.text
    assert "🚫 КП «Вербівтепло» — Богдан Ігорович Савчук" in detail.text
    assert "Олена Петрівна Гнатюк" not in detail.text
    assert detail.button_texts() == ["🔔 Нагадати (1)", "📊 Аркуш ознайомлення (XLSX)"]

    await coordinator.press("🔔 Нагадати (1)", detail)
    assert "поставлено в чергу — 1" in (await coordinator.next_message()).text
    reminder = await natalia.next_message()
    assert "Нагадування: ознайомтеся" in reminder.text
    await coordinator.press("🔔 Нагадати (1)", detail)
    again = await coordinator.next_message()
    assert "поставлено в чергу — 0, уже нагадано сьогодні — 1" in again.text

    await coordinator.press("📊 Аркуш ознайомлення (XLSX)", detail)
    sheet = await coordinator.next_document()
    assert sheet.document is not None and sheet.document.data is not None
    assert sheet.document.file_name == "oznaiomlennia_1.xlsx"
    book = load_workbook(io.BytesIO(sheet.document.data))
    ws = book.active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Організація", "ЄДРПОУ", "Уповноважена особа", "Доставлено", "Ознайомлено")
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E15"
    by_person = {row[2]: row for row in rows[1:]}
    assert len(by_person) == 14
    olena_row = by_person["Олена Петрівна Гнатюк"]
    assert olena_row[0] == "КП «Міськводоканал»" and olena_row[1] == "44102318"
    assert olena_row[3] == olena_row[4] == datetime(2026, 3, 2, 10, 0)
    assert by_person["Наталія Василівна Коваль"][3] is not None
    assert by_person["Наталія Василівна Коваль"][4] is None
    assert by_person["Богдан Ігорович Савчук"][3:] == (None, None)


async def test_the_automatic_reminder_goes_once_after_three_working_days(zvit: World) -> None:
    assert zvit.bot is not None and JOB_ID in zvit.bot.ticker.job_ids
    await zvit.seed_registry()
    olena = await zvit.bound_person(*OLENA)
    natalia = await zvit.bound_person(*NATALIA)
    coordinator = await zvit.coordinator()
    await send_to_everyone(coordinator, await compose_text(coordinator))  # Monday 10:00
    await olena.press(ACK, await delivered(olena))
    await delivered(natalia)
    await zvit.settled()
    bot = zvit.bot.app
    calendar = bot.dispatcher.workflow_data["deps"].calendar

    zvit.clock.set(datetime(2026, 3, 4, 15, 0, tzinfo=UTC))  # Wednesday: two working days
    assert await remind_unacknowledged(bot.db, zvit.clock, calendar, 3) == 0
    zvit.clock.set(datetime(2026, 3, 5, 7, 30, tzinfo=UTC))  # Thursday 09:30
    ticks = [await remind_unacknowledged(bot.db, zvit.clock, calendar, 3) for _ in range(5)]
    assert ticks == [1, 0, 0, 0, 0]
    zvit.clock.advance(timedelta(days=6))
    assert await remind_unacknowledged(bot.db, zvit.clock, calendar, 3) == 0

    reminder = await message_containing(natalia, "Нагадування")
    assert "циркуляром від 02.03.2026" in reminder.text
    await zvit.settled()
    assert not [m for m in await natalia.pending() if "Нагадування" in m.text]
    assert not [m for m in await olena.pending() if "Нагадування" in m.text]


async def test_no_reminder_reaches_a_person_dismissed_or_unbound_since(
    zvit: World,
) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(*OLENA)
    natalia = await zvit.bound_person(*NATALIA)
    coordinator = await zvit.coordinator()
    await send_to_everyone(coordinator, await compose_text(coordinator))  # Monday 10:00
    await delivered(olena)
    await delivered(natalia)
    await zvit.settled()
    await coordinator.send("/circulars")
    await coordinator.press("№\u00a01", await coordinator.next_message())
    before = await coordinator.next_message()
    assert before.has_button("🔔 Нагадати (2)")
    assert zvit.bot is not None
    bot = zvit.bot.app
    async with bot.db.transaction() as conn:
        for person_id, change in ((OLENA[0], "dismiss"), (NATALIA[0], "unbind")):
            person = await registry.get_person(conn, person_id)
            assert person is not None
            if change == "dismiss":
                await registry.set_person_status(
                    conn, person, PersonStatus.DISMISSED, actor_id=None, now=zvit.clock.now()
                )
            else:
                await registry.unbind_person(conn, person, actor_id=None, now=zvit.clock.now())
    # The coordinator's button, pressed after the change, reaches nobody either.
    await coordinator.press("🔔 Нагадати (2)", before)
    assert "поставлено в чергу — 0." in (await coordinator.next_message()).text
    await coordinator.send("/circulars")
    await coordinator.press("№\u00a01", await coordinator.next_message())
    after = await coordinator.next_message()
    assert "Ще не ознайомилися (14)" in after.text
    assert after.button_texts() == ["📊 Аркуш ознайомлення (XLSX)"]
    zvit.clock.set(datetime(2026, 3, 5, 7, 30, tzinfo=UTC))  # Thursday 09:30
    calendar = bot.dispatcher.workflow_data["deps"].calendar
    assert await remind_unacknowledged(bot.db, zvit.clock, calendar, 3) == 0
    await zvit.settled()
    assert not [m for m in await natalia.pending() if "Нагадування" in m.text]
    assert not [m for m in await olena.pending() if "Нагадування" in m.text]


async def test_a_forged_acknowledgement_is_refused_and_changes_nothing(zvit: World) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(*OLENA)
    natalia = await zvit.bound_person(*NATALIA)
    coordinator = await zvit.coordinator()
    await send_to_everyone(coordinator, await compose_text(coordinator))
    olenas = await delivered(olena)
    natalias = await delivered(natalia)
    _, olena_data = olenas.button(ACK)

    # Natalia sends Olena's button data from her own copy, and her own data from another message.
    forged = await natalia.press_data(olena_data, natalias.message_id)
    assert "не для вас" in str((await callback_answer(natalia, forged))["text"])
    _, own_data = natalias.button(ACK)
    elsewhere = await natalia.press_data(own_data, natalias.message_id - 1)
    assert "не для вас" in str((await callback_answer(natalia, elsewhere))["text"])
    # Someone who is not a person at all.
    stranger = await zvit.user(6666, "Незнайомець")
    await stranger.send("/start")
    greeting = await stranger.next_message()
    outsider = await stranger.press_data(olena_data, greeting.message_id)
    assert (await callback_answer(stranger, outsider))["show_alert"]

    async with zvit.db.reading() as conn:
        receipts = await circulars.receipts(conn, 1)
        actions = [e.action for e in await audit.entries(conn, entity="circular", entity_id=1)]
    assert all(r.acknowledged_at is None for r in receipts)
    assert "circular.acknowledge" not in actions
    assert (await natalia.messages())[-1].button_texts() == [ACK]


async def test_replying_with_circular_takes_the_replied_message_as_content(zvit: World) -> None:
    await zvit.seed_registry()
    await zvit.bound_person(*OLENA)
    coordinator = await zvit.coordinator()
    original = await coordinator.send("Оголошення: навчання 12 березня о 10:00.")
    await coordinator.next_message()  # the help text for a message nobody expects
    assert zvit.bot is not None
    app = zvit.bot.app
    user = User(id=COORDINATOR_ID, is_bot=False, first_name="Координатор")
    chat = Chat(id=COORDINATOR_ID, type="private")
    moment = datetime.now(UTC)
    replied = Message(
        message_id=int(original["message_id"]),
        date=moment,
        chat=chat,
        from_user=user,
        text="Оголошення: навчання 12 березня о 10:00.",
    )
    command = Message(
        message_id=int(original["message_id"]) + 1,
        date=moment,
        chat=chat,
        from_user=user,
        text="/circular",
        entities=[MessageEntity(type="bot_command", offset=0, length=9)],
        reply_to_message=replied,
    )
    await app.dispatcher.feed_update(app.bot, Update(update_id=10**9, message=command))

    audience = await coordinator.next_message()
    assert "Циркуляр №\u00a01: чернетку збережено (текст)" in audience.text
    async with zvit.db.reading() as conn:
        circular = await circulars.get(conn, 1)
    assert circular is not None and circular.text_html.startswith("Оголошення: навчання")


async def test_the_demo_act_shows_who_acknowledged(zvit: World) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(*OLENA)
    natalia = await zvit.bound_person(*NATALIA)
    stats = await circulars_act(await zvit.coordinator(), [olena, natalia], acknowledging=1)
    assert "ознайомилися — 1" in stats and "з 14" in stats

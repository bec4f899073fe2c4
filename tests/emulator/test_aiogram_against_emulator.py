"""A real aiogram Bot talks to the emulator over HTTP and sees Telegram's behaviour."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from emulator import EmulatorClient, TelegramEmulator
from tests.emulator.conftest import TOKEN


@pytest.fixture
async def bot(emulator: TelegramEmulator) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(emulator.base_url))
    bot = Bot(TOKEN, session=session)
    try:
        yield bot
    finally:
        await bot.session.close()


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)] for t, d in pairs]
    )


async def test_send_edit_document_and_download(bot: Bot, emulator: TelegramEmulator) -> None:
    emulator.create_user(10, "Ірина", username="iryna", started=True)
    me = await bot.get_me()
    assert (me.id, me.username) == (123456, "zvitbot_test_bot")

    sent = await bot.send_message(
        10, "<b>Звіт</b> за I квартал", parse_mode="HTML", reply_markup=keyboard(("Так", "y"))
    )
    assert sent.text == "Звіт за I квартал"
    assert sent.entities is not None and sent.entities[0].type == "bold"
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "y"

    edited = await bot.edit_message_text(
        "<i>Прийнято</i>", chat_id=10, message_id=sent.message_id, parse_mode="HTML"
    )
    assert not isinstance(edited, bool)
    assert edited.text == "Прийнято" and edited.edit_date is not None

    doc = await bot.send_document(
        10, BufferedInputFile(b"a;b\n1;2", filename="зведення.csv"), caption="Зведення"
    )
    assert doc.document is not None
    assert doc.document.file_name == "зведення.csv"
    file = await bot.get_file(doc.document.file_id)
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == b"a;b\n1;2"

    again = await bot.send_document(10, doc.document.file_id)  # resend by file_id
    assert again.document is not None and again.document.file_id == doc.document.file_id

    await bot.set_my_commands([BotCommand(command="start", description="Почати")])
    assert [c.command for c in await bot.get_my_commands()] == ["start"]


async def test_errors_become_the_right_aiogram_exceptions(
    bot: Bot, emulator: TelegramEmulator
) -> None:
    emulator.create_user(10, "Ірина", started=True)
    emulator.create_user(11, "Петро")

    with pytest.raises(TelegramBadRequest) as bad:
        await bot.send_message(10, "<b>oops", parse_mode="HTML")
    assert bad.value.message == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )

    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=10, message_id=999)

    with pytest.raises(TelegramForbiddenError, match="bot can't initiate conversation"):
        await bot.send_message(11, "hello")

    emulator.block_bot(10)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(10, "hello")
    emulator.unblock_bot(10)

    emulator.faults.force_retry_after(3)
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(10, "hello")
    assert retry.value.retry_after == 3

    emulator.faults.add("502")
    with pytest.raises(TelegramServerError, match="Bad Gateway"):
        await bot.send_message(10, "hello")

    emulator.faults.add("drop")
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(10, "hello")

    assert (await bot.send_message(10, "finally")).text == "finally"


async def test_blocking_and_unblocking_arrive_as_my_chat_member_updates(
    bot: Bot, emulator: TelegramEmulator
) -> None:
    emulator.create_user(10, "Ірина", started=True)
    emulator.block_bot(10)
    emulator.unblock_bot(10)
    updates = await bot.get_updates(allowed_updates=["my_chat_member"])
    changes = [
        (u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status)
        for u in updates
        if u.my_chat_member is not None
    ]
    assert changes == [("member", "kicked"), ("kicked", "member")]


async def test_dispatcher_polling_conversation(bot: Bot, emulator: TelegramEmulator) -> None:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message, command: CommandObject) -> None:
        await message.answer(
            f"Код: <code>{command.args}</code>",
            parse_mode="HTML",
            reply_markup=keyboard(("Далі", "next")),
        )

    @router.callback_query(F.data == "next")
    async def next_step(query: CallbackQuery) -> None:
        await query.answer("ok")
        assert isinstance(query.message, Message)
        await query.message.edit_text("Крок 2")

    dp = Dispatcher()
    dp.include_router(router)
    polling = asyncio.create_task(
        dp.start_polling(bot, polling_timeout=1, handle_signals=False, close_bot_session=False)
    )
    try:
        async with EmulatorClient(emulator.base_url) as client:
            user = await client.user(20, "Оксана")
            await user.send("/start inv-42")
            greeting = await user.next_message(timeout=5)
            assert greeting.text == "Код: inv-42"
            query_id = await user.press("Далі")
            edited = await user.next_message(timeout=5)
            assert (edited.text, edited.edited) == ("Крок 2", True)
            assert await user.callback_answer(query_id) == {
                "text": "ok",
                "show_alert": False,
                "url": None,
            }
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(polling, 5)

"""Every validation failure answers in Telegram's exact error shape."""

from __future__ import annotations

from typing import Any

import pytest

from emulator import TelegramEmulator
from tests.emulator.conftest import ApiCall

USER = 501


@pytest.fixture
def started(emulator: TelegramEmulator) -> int:
    emulator.create_user(USER, "Олена", started=True)
    return USER


def keyboard(data: str) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": "OK", "callback_data": data}]]}


def error(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
    ],
)
async def test_malformed_html_is_a_bad_request(
    api: ApiCall, started: int, text: str, reason: str
) -> None:
    status, body = await api("sendMessage", chat_id=started, text=text, parse_mode="HTML")
    assert status == 400
    assert body == error(400, f"Bad Request: can't parse entities: {reason}")


async def test_valid_html_is_stored_as_plain_text_with_entities(
    api: ApiCall, started: int, emulator: TelegramEmulator
) -> None:
    status, body = await api("sendMessage", chat_id=started, text="<b>Так</b>", parse_mode="HTML")
    assert status == 200
    assert body["result"]["text"] == "Так"
    assert body["result"]["entities"] == [{"offset": 0, "length": 3, "type": "bold"}]
    [stored] = emulator.chat_messages(started)
    assert stored["html"] == "<b>Так</b>"


async def test_text_over_4096_is_too_long(api: ApiCall, started: int) -> None:
    status, body = await api("sendMessage", chat_id=started, text="я" * 5000)
    assert (status, body) == (400, error(400, "Bad Request: message is too long"))


async def test_text_at_4096_after_entity_parsing_is_accepted(api: ApiCall, started: int) -> None:
    status, _ = await api(
        "sendMessage", chat_id=started, text="<b>" + "x" * 4096 + "</b>", parse_mode="HTML"
    )
    assert status == 200


async def test_empty_text_is_rejected(api: ApiCall, started: int) -> None:
    status, body = await api("sendMessage", chat_id=started, text="  ")
    assert (status, body) == (400, error(400, "Bad Request: message text is empty"))


async def test_callback_data_over_64_bytes_is_invalid(api: ApiCall, started: int) -> None:
    status, body = await api(
        "sendMessage", chat_id=started, text="q", reply_markup=keyboard("x" * 65)
    )
    assert (status, body) == (400, error(400, "Bad Request: BUTTON_DATA_INVALID"))


async def test_callback_data_of_64_bytes_is_accepted(api: ApiCall, started: int) -> None:
    # 32 two-byte Cyrillic letters: 32 characters, 64 bytes
    status, body = await api(
        "sendMessage", chat_id=started, text="q", reply_markup=keyboard("ж" * 32)
    )
    assert status == 200
    assert body["result"]["reply_markup"] == keyboard("ж" * 32)


async def test_button_needs_exactly_one_action(api: ApiCall, started: int) -> None:
    bare = {"inline_keyboard": [[{"text": "nothing"}]]}
    both = {"inline_keyboard": [[{"text": "t", "callback_data": "a", "url": "https://x.ua"}]]}
    for markup in (bare, both):
        status, body = await api("sendMessage", chat_id=started, text="q", reply_markup=markup)
        assert status == 400
        assert body["description"].startswith("Bad Request: can't parse inline keyboard button")


async def test_caption_over_1024_is_too_long(api: ApiCall, started: int, http: Any) -> None:
    status, body = await api("sendDocument", chat_id=started, document="nope", caption="c" * 1025)
    assert (status, body) == (400, error(400, "Bad Request: message caption is too long"))


async def test_editing_a_missing_message_is_not_found(api: ApiCall, started: int) -> None:
    status, body = await api("editMessageText", chat_id=started, message_id=99, text="x")
    assert (status, body) == (400, error(400, "Bad Request: message to edit not found"))


async def test_editing_a_deleted_message_is_not_found(api: ApiCall, started: int) -> None:
    _, sent = await api("sendMessage", chat_id=started, text="x")
    mid = sent["result"]["message_id"]
    assert (await api("deleteMessage", chat_id=started, message_id=mid))[0] == 200
    status, body = await api("editMessageText", chat_id=started, message_id=mid, text="y")
    assert (status, body) == (400, error(400, "Bad Request: message to edit not found"))


async def test_same_content_and_markup_is_not_modified(api: ApiCall, started: int) -> None:
    _, sent = await api("sendMessage", chat_id=started, text="x", reply_markup=keyboard("a"))
    mid = sent["result"]["message_id"]
    status, body = await api(
        "editMessageText", chat_id=started, message_id=mid, text="x", reply_markup=keyboard("a")
    )
    assert status == 400
    assert body["description"] == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    # dropping the keyboard is a real change
    status, _ = await api("editMessageText", chat_id=started, message_id=mid, text="x")
    assert status == 200


async def test_chat_that_never_started_is_forbidden(
    api: ApiCall, emulator: TelegramEmulator
) -> None:
    emulator.create_user(777, "Ніхто")
    status, body = await api("sendMessage", chat_id=777, text="hi")
    assert (status, body) == (
        403,
        error(403, "Forbidden: bot can't initiate conversation with a user"),
    )


async def test_blocked_user_is_forbidden(
    api: ApiCall, started: int, emulator: TelegramEmulator
) -> None:
    emulator.block_bot(started)
    status, body = await api("sendMessage", chat_id=started, text="hi")
    assert (status, body) == (403, error(403, "Forbidden: bot was blocked by the user"))
    assert "my_chat_member" in emulator.pending_updates()[-1]


async def test_unknown_chat_is_not_found(api: ApiCall) -> None:
    status, body = await api("sendMessage", chat_id=42, text="hi")
    assert (status, body) == (400, error(400, "Bad Request: chat not found"))


async def test_unknown_method_is_404(api: ApiCall) -> None:
    status, body = await api("sendTelepathy", chat_id=1)
    assert (status, body) == (404, error(404, "Not Found: method not found"))


async def test_answering_a_callback_twice_is_invalid(
    api: ApiCall, started: int, emulator: TelegramEmulator
) -> None:
    _, sent = await api("sendMessage", chat_id=started, text="q", reply_markup=keyboard("a"))
    press = emulator.user_presses(started, sent["result"]["message_id"], button_text="OK")
    query_id = press["callback_query_id"]
    assert (await api("answerCallbackQuery", callback_query_id=query_id, text="ok"))[0] == 200
    expected = error(
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    )
    assert await api("answerCallbackQuery", callback_query_id=query_id) == (400, expected)
    assert await api("answerCallbackQuery", callback_query_id="123") == (400, expected)
    assert emulator.callback_answer(query_id) == {"text": "ok", "show_alert": False, "url": None}


async def test_wrong_token_is_unauthorized(emulator: TelegramEmulator, http: Any) -> None:
    async with http.post(f"{emulator.base_url}/bot1:wrong/getMe") as resp:
        assert resp.status == 401
        assert await resp.json() == error(401, "Unauthorized")


async def test_a_callback_answer_over_200_characters_is_refused(
    emulator: TelegramEmulator,
) -> None:
    emulator.create_user(42, "Тест", started=True)
    keyboard = {"inline_keyboard": [[{"text": "b", "callback_data": "d"}]]}
    status, sent = await emulator.call(
        "sendMessage", {"chat_id": 42, "text": "x", "reply_markup": keyboard}
    )
    assert status == 200
    pressed = emulator.user_presses(42, sent["result"]["message_id"], callback_data="d")
    query_id = pressed["callback_query_id"]
    status, body = await emulator.call(
        "answerCallbackQuery", {"callback_query_id": query_id, "text": "я" * 201}
    )
    assert (status, body["description"]) == (400, "Bad Request: MESSAGE_TOO_LONG")
    status, body = await emulator.call(
        "answerCallbackQuery", {"callback_query_id": query_id, "text": "я" * 200}
    )
    assert status == 200 and body["ok"]

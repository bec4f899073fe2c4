"""SimUser drives the conversation; the bot side is played with raw Bot API calls."""

from __future__ import annotations

import pytest

from emulator import EmulatorClient, TelegramEmulator
from emulator.client import EmulatorError
from tests.emulator.conftest import ApiCall


async def test_command_reply_and_button_press_round_trip(
    client: EmulatorClient, api: ApiCall
) -> None:
    alice = await client.user(42, "Аліса", username="alice")
    await alice.send("/start abc")

    _, polled = await api("getUpdates", timeout=1)
    [update] = polled["result"]
    message = update["message"]
    assert message["text"] == "/start abc"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert message["from"]["username"] == "alice"

    markup = {"inline_keyboard": [[{"text": "Подати звіт", "callback_data": "report:1"}]]}
    await api(
        "sendMessage", chat_id=42, text="Вітаю, <b>Аліса</b>!", parse_mode="HTML",
        reply_markup=markup,
    )  # fmt: skip
    reply = await alice.next_message(timeout=2)
    assert reply.text == "Вітаю, Аліса!"
    assert reply.html == "Вітаю, <b>Аліса</b>!"
    assert reply.button("Подати звіт") == ("Подати звіт", "report:1")

    query_id = await alice.press("Подати звіт")
    _, polled = await api("getUpdates", offset=update["update_id"] + 1, timeout=1)
    callback = polled["result"][0]["callback_query"]
    assert callback["id"] == query_id
    assert callback["data"] == "report:1"
    assert callback["message"]["message_id"] == reply.message_id
    assert callback["from"]["id"] == 42

    await api("answerCallbackQuery", callback_query_id=query_id, text="Гаразд")
    assert await alice.callback_answer(query_id) == {
        "text": "Гаразд",
        "show_alert": False,
        "url": None,
    }

    await api("editMessageText", chat_id=42, message_id=reply.message_id, text="Дякуємо")
    edit = await alice.next_message(timeout=2)
    assert (edit.message_id, edit.text, edit.edited, edit.buttons) == (
        reply.message_id,
        "Дякуємо",
        True,
        [],
    )


async def test_next_message_times_out_with_the_recent_messages(
    client: EmulatorClient, api: ApiCall
) -> None:
    bob = await client.user(7, "Bob")
    await bob.send("hi")
    await api("sendMessage", chat_id=7, text="first")
    assert (await bob.next_message(1)).text == "first"
    with pytest.raises(TimeoutError, match="first"):
        await bob.next_message(timeout=0.2)


async def test_missing_button_lists_the_available_ones(
    client: EmulatorClient, api: ApiCall
) -> None:
    bob = await client.user(7, "Bob")
    await bob.send("hi")
    markup = {"inline_keyboard": [[{"text": "Так", "callback_data": "y"}]]}
    await api("sendMessage", chat_id=7, text="?", reply_markup=markup)
    message = await bob.next_message(1)
    with pytest.raises(LookupError, match="Так"):
        message.button("Ні")
    with pytest.raises(LookupError, match="Ні"):
        await bob.press("Ні")


async def test_forged_callback_data_is_delivered(
    client: EmulatorClient, api: ApiCall, emulator: TelegramEmulator
) -> None:
    bob = await client.user(7, "Bob")
    await bob.send("hi")
    _, sent = await api("sendMessage", chat_id=7, text="no buttons here")
    await bob.press_data("admin:delete_all", sent["result"]["message_id"])
    assert emulator.pending_updates()[-1]["callback_query"]["data"] == "admin:delete_all"


async def test_user_media_edits_and_documents_from_the_bot(
    client: EmulatorClient, api: ApiCall, emulator: TelegramEmulator
) -> None:
    ann = await client.user(5, "Ann")
    sent = await ann.send_document("plan.xlsx", b"PK\x03\x04data", caption="План")
    await ann.send_photo(caption="фото")
    await ann.send_sticker()
    await ann.send_voice()
    await ann.send_location()
    await ann.edit(sent["message_id"], "План v2")
    updates = emulator.pending_updates()
    document = updates[0]["message"]["document"]
    assert (document["file_name"], document["file_size"]) == ("plan.xlsx", 8)
    assert updates[0]["message"]["caption"] == "План"
    kinds = [next(k for k in ("photo", "sticker", "voice", "location") if k in u["message"])
             for u in updates[1:5]]  # fmt: skip
    assert kinds == ["photo", "sticker", "voice", "location"]
    assert updates[5]["edited_message"]["caption"] == "План v2"

    status, copied = await api(
        "copyMessage", chat_id=5, from_chat_id=5, message_id=sent["message_id"]
    )
    assert status == 200
    received = await ann.next_document(timeout=2)
    assert received.message_id == copied["result"]["message_id"]
    assert received.document is not None and received.document.data == b"PK\x03\x04data"

    transcript = await client.transcript(chat_id=5)
    assert [e["kind"] for e in transcript][:2] == ["user_message", "user_message"]
    assert transcript[-1]["kind"] == "bot_message"
    log = await client.log(method="copyMessage")
    assert log[0]["outcome"] == "ok" and log[0]["chat_id"] == 5


async def test_control_api_errors_are_clear(client: EmulatorClient) -> None:
    with pytest.raises(EmulatorError, match="unknown user 999"):
        await client._post("/users/999/send", {"text": "x"})

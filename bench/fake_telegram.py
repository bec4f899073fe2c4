"""A Telegram stand-in for the update benchmark: a session that answers without HTTP, and
updates shaped as Telegram sends them.

The fake session does what aiogram's HTTP session does to a request and an answer (serialise
the method's fields, parse the JSON reply with `check_response`), but sends nothing: it is
aiogram's own `tests/mocked_bot.py` idea.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any, cast

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import InlineKeyboardMarkup

from ui.callbacks import Q

TOKEN = "4242424242:bench-token"
BOT_ID = 4242424242
USER_ID = 5001  # Олена, КП «Міськводоканал» in the demo registry
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class FakeSession(BaseSession):
    """Serialises each request like AiohttpSession and answers it with canned JSON; no HTTP."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: Counter[str] = Counter()
        self.alerts = 0
        self._next_id: dict[int, int] = {}
        self.last_sent: dict[int, int] = {}
        self.last_window: dict[int, int] = {}  # the questionnaire window token of that message
        self.recording: list[TelegramMethod[Any]] | None = None  # set: every request is kept

    def start_ids_at(self, chat_id: int, message_id: int) -> None:
        self._next_id[chat_id] = message_id

    async def close(self) -> None:
        return None

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 (BaseSession's signature)
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield b""

    def _message(self, chat_id: int, message_id: int, text: str | None) -> dict[str, Any]:
        return {
            "message_id": message_id,
            "date": int(START.timestamp()),
            "chat": {"id": chat_id, "type": "private", "first_name": "U"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Zvitbot"},
            "text": text or "",
        }

    def _note_window(self, chat_id: int, message_id: int, markup: object) -> None:
        """A questionnaire screen, sent or edited: its message and window are the live ones."""
        if isinstance(markup, InlineKeyboardMarkup) and markup.inline_keyboard:
            data = markup.inline_keyboard[0][0].callback_data or ""
            if data.startswith(f"{Q.__prefix__}:"):
                self.last_sent[chat_id] = message_id
                self.last_window[chat_id] = Q.unpack(data).screen

    def _result(self, method: TelegramMethod[Any]) -> dict[str, Any] | bool:
        if isinstance(method, SendMessage):
            chat_id = int(method.chat_id)
            message_id = self._next_id.get(chat_id, 1)
            self._next_id[chat_id] = message_id + 1
            self._note_window(chat_id, message_id, method.reply_markup)
            return self._message(chat_id, message_id, method.text)
        if isinstance(method, EditMessageText):
            chat_id, message_id = int(method.chat_id or 0), method.message_id or 0
            self._note_window(chat_id, message_id, method.reply_markup)
            return self._message(chat_id, message_id, method.text)
        if isinstance(method, EditMessageReplyMarkup):
            return self._message(int(method.chat_id or 0), method.message_id or 0, "")
        if isinstance(method, AnswerCallbackQuery) and method.show_alert:
            self.alerts += 1
        return True

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> TelegramType:
        self.calls[method.__api_method__] += 1
        if self.recording is not None:
            self.recording.append(method)
        files: dict[str, Any] = {}
        for value in method.model_dump(warnings=False).values():
            self.prepare_value(value, bot=bot, files=files)
        content = json.dumps({"ok": True, "result": self._result(method)}, ensure_ascii=False)
        response = self.check_response(bot=bot, method=method, status_code=200, content=content)
        return cast(TelegramType, response.result)


def fake_bot() -> tuple[Bot, FakeSession]:
    session = FakeSession()
    bot = Bot(
        TOKEN,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    return bot, session


# --- Updates as Telegram would send them ----------------------------------------------------


def _user() -> dict[str, Any]:
    return {"id": USER_ID, "is_bot": False, "first_name": "Олена", "language_code": "uk"}


def text_update(update_id: int, message_id: int, text: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "date": int(START.timestamp()),
            "chat": {"id": USER_ID, "type": "private", "first_name": "Олена"},
            "from": _user(),
            "text": text,
        },
    }


def button_update(update_id: int, on_message: int, data: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cq{update_id}",
            "from": _user(),
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": on_message,
                "date": int(START.timestamp()),
                "chat": {"id": USER_ID, "type": "private", "first_name": "Олена"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Zvitbot"},
                "text": "Захід",
            },
        },
    }

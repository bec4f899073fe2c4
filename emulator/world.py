"""The emulator's shared state (users, chats, files, the update queue, logs) and its primitives."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from typing import Any

from emulator.limits import Clock
from emulator.state import FileRecord, Json, SimUserRecord, StoredMessage, message_json

DEFAULT_UPDATE_TYPES = frozenset(
    {"message", "edited_message", "callback_query", "my_chat_member", "inline_query"}
)


class World:
    """What every part of the emulator reads and changes; `reset()` empties it in place, so
    a long poll waiting on it sees the reset."""

    def __init__(
        self,
        *,
        token: str | None,
        bot_id: int,
        bot_username: str,
        bot_first_name: str,
        strict_ampersand: bool,
        clock: Clock,
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.strict_ampersand = strict_ampersand
        self.clock = clock
        self.closing = False
        self._changed = asyncio.Event()
        self.reset()

    def reset(self) -> None:
        self.users: dict[int, SimUserRecord] = {}
        self.messages: dict[int, dict[int, StoredMessage]] = {}
        self.files: dict[str, FileRecord] = {}
        self.file_seq = 0
        self.updates: list[Json] = []
        self.update_seq = 0
        self.allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self.poll_token = 0
        self.callbacks: dict[str, Json] = {}
        self.callback_seq = 0
        self.events: list[Json] = []
        self.calls: list[Json] = []
        self.commands: dict[tuple[str, str], list[Json]] = {}
        self.counters: Counter[str] = Counter()

    def notify(self) -> None:
        """Wake every long poll; each re-checks its own condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_change(self, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), remaining)

    def event(self, kind: str, chat_id: int, **data: Any) -> Json:
        self.counters["events"] += 1
        event: Json = {
            "seq": self.counters["events"],
            "time": round(self.clock.now(), 3),
            "date": self.clock.unix(),
            "kind": kind,
            "chat_id": chat_id,
            **data,
        }
        self.events.append(event)
        self.notify()
        return event

    def enqueue(self, kind: str, payload: Json) -> int | None:
        if kind not in self.allowed_updates:
            return None
        self.update_seq += 1
        self.updates.append({"update_id": self.update_seq, kind: payload})
        self.counters["updates_created"] += 1
        self.notify()
        return self.update_seq

    def bot_user_json(self) -> Json:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def msg_json(self, msg: StoredMessage) -> Json:
        sender = self.bot_user_json() if msg.from_bot else self.users[msg.sender_id].to_json()
        return message_json(msg, sender, self.users[msg.chat_id].chat_json())

    def next_message_id(self, chat_id: int) -> int:
        chat = self.messages.setdefault(chat_id, {})
        return max(chat, default=0) + 1

    def new_file(self, kind: str, data: bytes, **extra: Any) -> FileRecord:
        self.file_seq += 1
        unique = f"AgAD{self.file_seq:06d}"
        record = FileRecord(
            file_id=f"BQACAgIAAx{kind[:3]}{self.file_seq:06d}", file_unique_id=unique,
            data=data, kind=kind, **extra,
        )  # fmt: skip
        self.files[record.file_id] = record
        return record

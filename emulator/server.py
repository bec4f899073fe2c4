"""A local stand-in for the Telegram Bot API (aiohttp), with a control API that plays the users.

`TelegramEmulator` assembles the parts over one shared `World` and is the in-process test API."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web

from emulator.bot_api import BotApi
from emulator.bot_methods import BotMethods
from emulator.control import ControlApi
from emulator.delivery import UpdateDelivery, Webhook
from emulator.limits import Clock, FaultInjector, FloodGate, FloodLimits
from emulator.messages import MessageMethods
from emulator.params import FilePart
from emulator.state import ControlError, FileRecord, Json, SimUserRecord, StoredMessage, snapshot
from emulator.users import SimulatedUsers
from emulator.world import World

__all__ = ["FilePart", "TelegramEmulator"]


class TelegramEmulator:
    """The emulated Bot API plus in-process accessors for tests.

    Times: message dates and flood windows run on an emulator clock that is `clock_scale` times
    faster than real time. A 429's retry_after is in emulator seconds, so a client should wait
    retry_after / clock_scale real seconds (the scale is in `stats()["clock_scale"]`). Long-poll
    timeouts (getUpdates, waits in the control API) are real seconds.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        bot_id: int | None = None,
        bot_username: str = "zvitbot_test_bot",
        bot_first_name: str = "Zvitbot",
        flood: FloodLimits | None = None,
        clock_scale: float = 1.0,
        strict_ampersand: bool = True,
    ) -> None:
        if bot_id is None:
            prefix = (token or "").split(":", 1)[0]
            bot_id = int(prefix) if prefix.isdigit() else 7000000001
        self.clock = Clock(clock_scale)
        self.faults = FaultInjector(self.clock)
        self._world = World(
            token=token,
            bot_id=bot_id,
            bot_username=bot_username,
            bot_first_name=bot_first_name,
            strict_ampersand=strict_ampersand,
            clock=self.clock,
        )
        self._bot_api = BotApi(self._world, self.faults)
        self._delivery = UpdateDelivery(self._world, self._bot_api.call)
        for group in (BotMethods(self._world), MessageMethods(self._world), self._delivery):
            self._bot_api.register(group)
        self._users = SimulatedUsers(self._world)
        self._control = ControlApi(self)
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.set_flood(flood)
        self._reset_state()

    # ------------------------------------------------------------------ shared state

    @property
    def token(self) -> str | None:
        return self._world.token

    @property
    def bot_id(self) -> int:
        return self._world.bot_id

    @property
    def bot_username(self) -> str:
        return self._world.bot_username

    @property
    def bot_first_name(self) -> str:
        return self._world.bot_first_name

    @property
    def strict_ampersand(self) -> bool:
        return self._world.strict_ampersand

    @property
    def users(self) -> dict[int, SimUserRecord]:
        return self._world.users

    @property
    def messages(self) -> dict[int, dict[int, StoredMessage]]:
        return self._world.messages

    @property
    def files(self) -> dict[str, FileRecord]:
        return self._world.files

    @property
    def callbacks(self) -> dict[str, Json]:
        return self._world.callbacks

    @property
    def events(self) -> list[Json]:
        return self._world.events

    @property
    def calls(self) -> list[Json]:
        return self._world.calls

    @property
    def commands(self) -> dict[tuple[str, str], list[Json]]:
        return self._world.commands

    @property
    def webhook(self) -> Webhook | None:
        return self._delivery.webhook

    def bot_user_json(self) -> Json:
        return self._world.bot_user_json()

    # ------------------------------------------------------------------ lifecycle

    def _reset_state(self) -> None:
        self._world.reset()
        self._delivery.webhook = None
        self._delivery.stop_webhook()
        self.faults.clear()
        self.faults.injected = 0

    def reset(self) -> None:
        """Forget every user, message, update, log entry and fault; keep flood settings."""
        self._reset_state()
        self._world.notify()

    @property
    def flood(self) -> FloodLimits | None:
        gate = self._bot_api.flood_gate
        return gate.limits if gate else None

    def set_flood(self, limits: FloodLimits | None) -> None:
        self._bot_api.flood_gate = FloodGate(limits, self.clock) if limits else None

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        self._bot_api.add_routes(app)
        self._control.add_routes(app)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on host:port (0 = any free port); return the base URL for from_base()."""
        self._runner = web.AppRunner(self.make_app(), access_log=None, handler_cancellation=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_port = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{bound_port}"
        self._world.closing = False
        self._delivery.http = ClientSession(timeout=ClientTimeout(total=10))
        return self.base_url

    async def stop(self) -> None:
        self._world.closing = True
        self._delivery.stop_webhook()
        self._world.poll_token += 1
        self._world.notify()
        if self._delivery.http is not None:
            await self._delivery.http.close()
            self._delivery.http = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> TelegramEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def call(
        self, method: str, params: dict[str, Any], files: dict[str, FilePart] | None = None
    ) -> tuple[int, Json]:
        """Run one Bot API method as if it came over HTTP; return (status, JSON body)."""
        return await self._bot_api.call(method, params, files)

    def _confirm(self, offset: int | None) -> None:
        self._delivery.confirm(offset)

    # ------------------------------------------------------------------ users (in-process API)

    def create_user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "uk",
        started: bool = False,
    ) -> Json:
        """Create (or update) a user and their private chat; `started` = already pressed Start."""
        return self._users.create_user(
            user_id, first_name, last_name=last_name, username=username,
            language_code=language_code, started=started,
        )  # fmt: skip

    def user_sends_text(self, user_id: int, text: str) -> Json:
        """The user types `text`; a leading "/cmd" carries a bot_command entity."""
        return self._users.user_sends_text(user_id, text)

    def user_sends_document(self, user_id: int, file_name: str, data: bytes, *, caption: str = "",
                            mime_type: str | None = None) -> Json:  # fmt: skip
        return self._users.user_sends_document(
            user_id, file_name, data, caption=caption, mime_type=mime_type
        )

    def user_sends_photo(
        self, user_id: int, data: bytes | None = None, *, caption: str = ""
    ) -> Json:
        return self._users.user_sends_photo(user_id, data, caption=caption)

    def user_sends_sticker(self, user_id: int, emoji: str = "👍") -> Json:
        return self._users.user_sends_sticker(user_id, emoji)

    def user_sends_voice(self, user_id: int, duration: int = 3, data: bytes | None = None) -> Json:
        return self._users.user_sends_voice(user_id, duration, data)

    def user_sends_location(self, user_id: int, latitude: float, longitude: float) -> Json:
        return self._users.user_sends_location(user_id, latitude, longitude)

    def user_edits(self, user_id: int, message_id: int, text: str) -> Json:
        return self._users.user_edits(user_id, message_id, text)

    def user_presses(self, user_id: int, message_id: int, *, button_text: str | None = None,
                     callback_data: str | None = None) -> Json:  # fmt: skip
        """Press an inline button found by text or data; unknown raw data is sent as given,
        which is how tests forge callbacks."""
        return self._users.user_presses(
            user_id, message_id, button_text=button_text, callback_data=callback_data
        )

    def block_bot(self, user_id: int) -> None:
        self._users.block_bot(user_id)

    def unblock_bot(self, user_id: int) -> None:
        self._users.unblock_bot(user_id)

    # ------------------------------------------------------------------ inspection

    def chat_messages(
        self, chat_id: int, *, include_user: bool = False, include_deleted: bool = False
    ) -> list[Json]:
        """Current state of the chat's messages (after edits), oldest first."""
        return [
            snapshot(m)
            for m in self.messages.get(chat_id, {}).values()
            if (include_user or m.from_bot) and (include_deleted or not m.deleted)
        ]

    def bot_events(self, chat_id: int, after: int) -> list[Json]:
        return [
            e
            for e in self.events
            if e["seq"] > after
            and e["chat_id"] == chat_id
            and e["kind"] in ("bot_message", "bot_edit")
        ]

    async def wait_bot_events(self, chat_id: int, after: int, timeout: float) -> list[Json]:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while True:
            found = self.bot_events(chat_id, after)
            if found or self._world.closing or time.monotonic() >= deadline:
                return found
            await self._world.wait_change(deadline)

    def transcript(self, chat_id: int | None = None) -> list[Json]:
        return [e for e in self.events if chat_id is None or e["chat_id"] == chat_id]

    def file_bytes(self, file_id: str) -> bytes:
        record = self.files.get(file_id)
        if record is None:
            raise ControlError(f"unknown file_id {file_id}", 404)
        return record.data

    def callback_answer(self, query_id: str) -> Json | None:
        query = self.callbacks.get(query_id)
        return query["answer"] if query else None

    def pending_updates(self) -> list[Json]:
        return list(self._world.updates)

    def stats(self) -> Json:
        by_method = Counter(c["method"] for c in self.calls)
        by_outcome = Counter(str(c["outcome"]) for c in self.calls)
        counters = self._world.counters
        return {
            "calls": len(self.calls),
            "by_method": dict(by_method),
            "by_outcome": dict(by_outcome),
            "errors_429": counters["errors_429"],
            "faults_injected": self.faults.injected,
            "dropped_connections": counters["dropped"],
            "bot_messages": counters["bot_messages"],
            "updates_created": counters["updates_created"],
            "updates_returned": counters["updates_returned"],
            "pending_updates": len(self._world.updates),
            "webhook_delivered": counters["webhook_delivered"],
            "webhook_failures": counters["webhook_failures"],
            "users": len(self.users),
            "clock_scale": self.clock.scale,
            "emulator_time": round(self.clock.now(), 3),
            "flood": None if self.flood is None else vars(self.flood),
        }

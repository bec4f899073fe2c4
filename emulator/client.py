"""Async client for the emulator's control API: plays users and reads what the bot did."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field, replace
from typing import Any

from aiohttp import ClientSession, ClientTimeout

Json = dict[str, Any]


class EmulatorError(RuntimeError):
    """The control API refused a request (unknown user, missing button, ...)."""


@dataclass(frozen=True)
class MediaInfo:
    file_id: str
    file_name: str | None
    mime_type: str | None
    file_size: int
    data: bytes | None = None


@dataclass(frozen=True)
class BotMessage:
    """A bot message as the user saw it at one moment: when sent, or right after an edit."""

    chat_id: int
    message_id: int
    text: str
    html: str
    buttons: list[list[tuple[str, str]]]
    entities: list[Json] = field(default_factory=list)
    document: MediaInfo | None = None
    photo: MediaInfo | None = None
    media_kind: str | None = None
    edited: bool = False
    deleted: bool = False
    raw: Json = field(default_factory=dict, repr=False)

    @classmethod
    def from_snapshot(cls, snap: Json) -> BotMessage:
        rows = [
            [(str(b["text"]), str(b.get("callback_data", b.get("url", "")))) for b in row]
            for row in snap.get("buttons", [])
        ]
        media = snap.get("media")
        info = None
        if media:
            info = MediaInfo(
                media["file_id"], media.get("file_name"), media.get("mime_type"),
                int(media.get("file_size", 0)),
            )  # fmt: skip
        kind = snap.get("media_kind")
        return cls(
            chat_id=int(snap["chat_id"]),
            message_id=int(snap["message_id"]),
            text=str(snap.get("text", "")),
            html=str(snap.get("html", "")),
            buttons=rows,
            entities=list(snap.get("entities", [])),
            document=info if kind == "document" else None,
            photo=info if kind == "photo" else None,
            media_kind=kind,
            edited=bool(snap.get("edited")),
            deleted=bool(snap.get("deleted")),
            raw=snap,
        )

    def button_texts(self) -> list[str]:
        return [text for row in self.buttons for text, _ in row]

    def has_button(self, text: str) -> bool:
        return text in self.button_texts()

    def button(self, text: str) -> tuple[str, str]:
        """(text, callback_data or url) of the button with exactly this text."""
        for row in self.buttons:
            for button in row:
                if button[0] == text:
                    return button
        raise LookupError(
            f"message {self.message_id} has no button {text!r}; "
            f"available: {self.button_texts()!r}; text: {self.text[:200]!r}"
        )


class SimUser:
    """One simulated Telegram user; `next_message` reads bot events in order, exactly once."""

    def __init__(self, client: EmulatorClient, info: Json) -> None:
        self.client = client
        self.id = int(info["id"])
        self.first_name = str(info["first_name"])
        self.username: str | None = info.get("username")
        self._cursor = 0  # a fresh handle has consumed nothing yet
        self.seen: list[BotMessage] = []

    def __repr__(self) -> str:
        return f"SimUser(id={self.id}, first_name={self.first_name!r})"

    async def _act(self, action: str, body: Json) -> Json:
        result: Json = await self.client._post(f"/users/{self.id}/{action}", body)
        return result

    async def send(self, text: str) -> Json:
        """Send text ("/cmd args" goes out as a command); returns the message and update_id."""
        return await self._act("send", {"text": text})

    async def send_document(
        self, filename: str, data: bytes, caption: str = "", mime_type: str | None = None
    ) -> Json:
        body: Json = {
            "file_name": filename,
            "data_b64": base64.b64encode(data).decode("ascii"),
            "caption": caption,
        }
        if mime_type:
            body["mime_type"] = mime_type
        return await self._act("document", body)

    async def send_photo(self, data: bytes | None = None, caption: str = "") -> Json:
        body: Json = {"caption": caption}
        if data is not None:
            body["data_b64"] = base64.b64encode(data).decode("ascii")
        return await self._act("photo", body)

    async def send_sticker(self, emoji: str = "👍") -> Json:
        return await self._act("sticker", {"emoji": emoji})

    async def send_voice(self, duration: int = 3) -> Json:
        return await self._act("voice", {"duration": duration})

    async def send_location(self, latitude: float = 50.45, longitude: float = 30.52) -> Json:
        return await self._act("location", {"latitude": latitude, "longitude": longitude})

    async def edit(self, message_id: int, text: str) -> Json:
        return await self._act("edit", {"message_id": message_id, "text": text})

    async def press(self, button_text: str, message: BotMessage | None = None) -> str:
        """Press a button by its text; by default on the latest bot message that has it.
        Returns the callback query id."""
        if message is None:
            candidates = [m for m in await self.messages() if m.has_button(button_text)]
            if not candidates:
                recent = [(m.message_id, m.button_texts()) for m in (await self.messages())[-5:]]
                raise LookupError(
                    f"no bot message in chat {self.id} has a button {button_text!r}; "
                    f"recent messages and their buttons: {recent!r}"
                )
            message = candidates[-1]
        result = await self._act(
            "press", {"message_id": message.message_id, "button_text": button_text}
        )
        return str(result["callback_query_id"])

    async def press_data(self, callback_data: str, message_id: int) -> str:
        """Send a callback with raw data, even if no such button exists (forged callbacks)."""
        result = await self._act(
            "press", {"message_id": message_id, "callback_data": callback_data}
        )
        return str(result["callback_query_id"])

    async def callback_answer(self, query_id: str) -> Json | None:
        """The bot's answerCallbackQuery for this press, or None if not answered yet."""
        query = await self.client._get(f"/callbacks/{query_id}")
        answer: Json | None = query.get("answer")
        return answer

    async def block(self) -> None:
        await self._act("block", {})

    async def unblock(self) -> None:
        await self._act("unblock", {})

    async def messages(self) -> list[BotMessage]:
        """All bot messages in this chat, current state after edits, oldest first."""
        snaps = await self.client._get(f"/chats/{self.id}/messages")
        return [BotMessage.from_snapshot(s) for s in snaps]

    async def last(self) -> BotMessage | None:
        messages = await self.messages()
        return messages[-1] if messages else None

    async def pending(self) -> list[BotMessage]:
        """Consume and return every bot event already waiting, without waiting for more."""
        events = await self.client._get(f"/chats/{self.id}/events", after=self._cursor, timeout=0)
        return [self._consume(e) for e in events]

    def _consume(self, event: Json) -> BotMessage:
        self._cursor = int(event["seq"])
        message = BotMessage.from_snapshot(event["message"])
        self.seen.append(message)
        return message

    async def next_message(self, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """The next bot message or edit in this chat not yet consumed by this user."""
        events = await self.client._get(
            f"/chats/{self.id}/events",
            after=self._cursor,
            timeout=timeout,
            _timeout=timeout + 10,
        )
        if events:
            return self._consume(events[0])
        recent = [
            (m.message_id, m.text[:80], m.button_texts()) for m in (await self.messages())[-3:]
        ]
        raise TimeoutError(
            f"user {self.id} got no new bot message within {timeout}s; "
            f"last bot messages in the chat: {recent!r}"
        )

    async def next_document(self, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """Skip ahead to the next bot message carrying a document; its bytes are downloaded."""
        while True:
            message = await self.next_message(timeout)
            if message.document is not None and not message.edited:
                data = await self.client.download(message.document.file_id)
                document = MediaInfo(
                    message.document.file_id, message.document.file_name,
                    message.document.mime_type, message.document.file_size, data,
                )  # fmt: skip
                return replace(message, document=document)


class EmulatorClient:
    """Control-API client: `async with EmulatorClient(url) as emu: ann = await emu.user(...)`."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._session: ClientSession | None = None

    async def __aenter__(self) -> EmulatorClient:
        self._session = ClientSession(timeout=ClientTimeout(total=60))
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> ClientSession:
        if self._session is None:
            self._session = ClientSession(timeout=ClientTimeout(total=60))
        return self._session

    async def _check(self, resp: Any) -> Any:
        if resp.status >= 400:
            try:
                detail = (await resp.json()).get("error")
            except Exception:  # any unreadable body still deserves a message
                detail = await resp.text()
            raise EmulatorError(f"{resp.method} {resp.url.path}: {resp.status} {detail}")
        return await resp.json()

    async def _get(self, path: str, _timeout: float | None = None, **query: Any) -> Any:
        timeout = ClientTimeout(total=_timeout) if _timeout else None
        params = {k: str(v) for k, v in query.items() if v is not None}
        async with self._http().get(
            f"{self.base_url}/_emulator{path}", params=params, timeout=timeout
        ) as resp:
            return await self._check(resp)

    async def _post(self, path: str, body: Json | None = None) -> Any:
        async with self._http().post(f"{self.base_url}/_emulator{path}", json=body or {}) as resp:
            return await self._check(resp)

    async def user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        *,
        last_name: str | None = None,
        started: bool = False,
    ) -> SimUser:
        """Create a user (idempotent). `started=True` means they already pressed Start."""
        info = await self._post(
            "/users",
            {
                "id": user_id,
                "first_name": first_name,
                "username": username,
                "last_name": last_name,
                "started": started,
            },
        )
        return SimUser(self, info)

    async def log(self, method: str | None = None) -> list[Json]:
        """Every Bot API call: method, chat_id, params summary, outcome ("ok" or error code)."""
        result: list[Json] = await self._get("/log", method=method)
        return result

    async def stats(self) -> Json:
        result: Json = await self._get("/stats")
        return result

    async def transcript(self, chat_id: int | None = None) -> list[Json]:
        result: list[Json] = await self._get("/transcript", chat_id=chat_id)
        return result

    async def pending_updates(self) -> list[Json]:
        result: list[Json] = await self._get("/updates")
        return result

    async def commands(self) -> list[Json]:
        result: list[Json] = await self._get("/commands")
        return result

    async def download(self, file_id: str) -> bytes:
        async with self._http().get(f"{self.base_url}/_emulator/files/{file_id}") as resp:
            if resp.status >= 400:
                raise EmulatorError(f"download {file_id}: {resp.status} {await resp.text()}")
            return await resp.read()

    async def set_faults(
        self,
        mode: str = "502",
        *,
        count: int | None = 1,
        methods: list[str] | None = None,
        duration: float | None = None,
        probability: float = 1.0,
        seed: int | None = None,
    ) -> Json:
        """Fail matching Bot API calls. mode: "400" (Telegram refuses, e.g. to delete), "500",
        "502", "drop" (close the connection before doing anything) or "drop_after" (do the call,
        then close without answering)."""
        result: Json = await self._post(
            "/faults",
            {
                "mode": mode,
                "count": count,
                "methods": methods,
                "duration": duration,
                "probability": probability,
                "seed": seed,
            },
        )
        return result

    async def force_retry_after(self, retry_after: int, methods: list[str] | None = None) -> Json:
        result: Json = await self._post(
            "/faults", {"retry_after": retry_after, "methods": methods}
        )
        return result

    async def clear_faults(self) -> None:
        async with self._http().delete(f"{self.base_url}/_emulator/faults") as resp:
            await self._check(resp)

    async def set_flood(
        self,
        enabled: bool = True,
        *,
        global_per_second: float = 30,
        per_chat_per_second: float = 1,
    ) -> Json:
        result: Json = await self._post(
            "/flood",
            {
                "enabled": enabled,
                "global_per_second": global_per_second,
                "per_chat_per_second": per_chat_per_second,
            },
        )
        return result

    async def reset(self) -> None:
        await self._post("/reset")

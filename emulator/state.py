"""The emulator's world: users, private chats, messages, files, and their Bot API JSON shapes."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]


class ApiError(Exception):
    """A Bot API failure, answered as {"ok": false, "error_code": ..., "description": ...}."""

    def __init__(self, code: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> Json:
        body: Json = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


class ControlError(Exception):
    """A misuse of the control API (not a Bot API error); answered as {"error": ...}."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class SimUserRecord:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "uk"
    started: bool = False
    blocked: bool = False

    def to_json(self) -> Json:
        data: Json = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat_json(self) -> Json:
        data: Json = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


def image_size(data: bytes) -> tuple[int, int]:
    if data.startswith(b"\x89PNG") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 1280, 720


@dataclass
class FileRecord:
    file_id: str
    file_unique_id: str
    data: bytes
    kind: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0
    duration: int = 0
    emoji: str | None = None

    @property
    def file_path(self) -> str:
        folder = {"photo": "photos", "sticker": "stickers", "voice": "voice"}.get(
            self.kind, "documents"
        )
        suffix = ""
        if self.file_name and "." in self.file_name:
            suffix = "." + self.file_name.rsplit(".", 1)[1]
        elif self.kind == "photo":
            suffix = ".jpg"
        return f"{folder}/file_{self.file_unique_id}{suffix}"

    def to_json(self) -> Json:
        """The media object as it appears inside a Message."""
        base: Json = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.kind == "document":
            if self.file_name:
                base["file_name"] = self.file_name
            if self.mime_type:
                base["mime_type"] = self.mime_type
        elif self.kind == "photo":
            base.update(width=self.width, height=self.height)
        elif self.kind == "sticker":
            base.update(
                type="regular",
                width=self.width,
                height=self.height,
                is_animated=False,
                is_video=False,
                emoji=self.emoji or "👍",
            )
        elif self.kind == "voice":
            base.update(duration=self.duration, mime_type=self.mime_type or "audio/ogg")
        return base

    def file_json(self) -> Json:
        """The File object returned by getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


@dataclass
class Revision:
    date: int
    text: str | None
    entities: list[Json]
    html: str | None
    reply_markup: Json | None


@dataclass
class StoredMessage:
    chat_id: int
    message_id: int
    from_bot: bool
    sender_id: int
    date: int
    text: str | None = None
    caption: str | None = None
    entities: list[Json] = field(default_factory=list)
    html: str | None = None
    reply_markup: Json | None = None
    media_kind: str | None = None
    media: FileRecord | None = None
    location: Json | None = None
    edit_date: int | None = None
    history: list[Revision] = field(default_factory=list)
    deleted: bool = False

    def content_key(self) -> tuple[Any, ...]:
        body = self.text if self.media_kind is None else self.caption
        return body, self.entities, normalized_markup(self.reply_markup)

    def remember(self) -> None:
        self.history.append(
            Revision(
                date=self.edit_date or self.date,
                text=self.text if self.media_kind is None else self.caption,
                entities=copy.deepcopy(self.entities),
                html=self.html,
                reply_markup=copy.deepcopy(self.reply_markup),
            )
        )


def normalized_markup(markup: Json | None) -> Json | None:
    """Telegram treats an empty inline keyboard as no keyboard at all."""
    if markup is None:
        return None
    if "inline_keyboard" in markup and not any(markup["inline_keyboard"]):
        return None
    return markup


def message_json(msg: StoredMessage, sender: Json, chat: Json) -> Json:
    data: Json = {
        "message_id": msg.message_id,
        "from": sender,
        "chat": chat,
        "date": msg.date,
    }
    if msg.edit_date is not None:
        data["edit_date"] = msg.edit_date
    if msg.media_kind is None and msg.location is None:
        data["text"] = msg.text or ""
        if msg.entities:
            data["entities"] = msg.entities
    else:
        if msg.caption:
            data["caption"] = msg.caption
            if msg.entities:
                data["caption_entities"] = msg.entities
        if msg.location is not None:
            data["location"] = msg.location
        elif msg.media is not None and msg.media_kind == "photo":
            data["photo"] = [msg.media.to_json()]
        elif msg.media is not None and msg.media_kind is not None:
            data[msg.media_kind] = msg.media.to_json()
    if msg.reply_markup is not None and normalized_markup(msg.reply_markup) is not None:
        data["reply_markup"] = msg.reply_markup
    return data


def snapshot(msg: StoredMessage) -> Json:
    """The test-facing view of a message: plain text, original HTML, buttons, media info."""
    buttons: list[list[Json]] = []
    markup = msg.reply_markup or {}
    for row in markup.get("inline_keyboard", []):
        buttons.append(
            [
                {k: b[k] for k in ("text", "callback_data", "url") if k in b}
                for b in row
                if isinstance(b, dict)
            ]
        )
    body = msg.text if msg.media_kind is None else msg.caption
    data: Json = {
        "chat_id": msg.chat_id,
        "message_id": msg.message_id,
        "from_bot": msg.from_bot,
        "date": msg.date,
        "text": body or "",
        "html": msg.html if msg.html is not None else (body or ""),
        "entities": msg.entities,
        "buttons": buttons,
        "reply_markup": msg.reply_markup,
        "edited": msg.edit_date is not None,
        "edit_count": len(msg.history),
        "deleted": msg.deleted,
        "media_kind": msg.media_kind,
        "location": msg.location,
    }
    if msg.media is not None:
        data["media"] = {
            "file_id": msg.media.file_id,
            "file_name": msg.media.file_name,
            "mime_type": msg.media.mime_type,
            "file_size": len(msg.media.data),
        }
    else:
        data["media"] = None
    return data

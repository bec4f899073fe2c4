"""Simulated users: what a person does in the bot's private chat, turned into updates."""

from __future__ import annotations

import base64
import mimetypes

from emulator.html_entities import utf16_len
from emulator.state import (
    ControlError,
    FileRecord,
    Json,
    SimUserRecord,
    StoredMessage,
    image_size,
    snapshot,
)
from emulator.world import World

# a 1x1 PNG, the default picture a simulated user sends
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _command_entities(text: str) -> list[Json]:
    if not text.startswith("/") or len(text) < 2:
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]


class SimulatedUsers:
    def __init__(self, world: World) -> None:
        self.world = world

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
        user = self.world.users.get(user_id)
        if user is None:
            user = SimUserRecord(user_id, first_name, last_name, username, language_code)
            self.world.users[user_id] = user
            self.world.messages.setdefault(user_id, {})
        else:
            user.first_name, user.last_name, user.username = first_name, last_name, username
        user.started = user.started or started
        return {**user.to_json(), "started": user.started}

    def user(self, user_id: int) -> SimUserRecord:
        user = self.world.users.get(user_id)
        if user is None:
            raise ControlError(f"unknown user {user_id}; create it first", 404)
        return user

    def _user_message(
        self,
        user_id: int,
        *,
        text: str | None = None,
        caption: str | None = None,
        entities: list[Json] | None = None,
        media_kind: str | None = None,
        media: FileRecord | None = None,
        location: Json | None = None,
    ) -> Json:
        world = self.world
        user = self.user(user_id)
        if user.blocked:
            # the "Restart" button in Telegram unblocks the bot before the message goes out
            self.unblock_bot(user_id)
        user.started = True
        msg = StoredMessage(
            chat_id=user_id,
            message_id=world.next_message_id(user_id),
            from_bot=False,
            sender_id=user_id,
            date=world.clock.unix(),
            text=text,
            caption=caption or None,
            entities=entities or [],
            media_kind=media_kind,
            media=media,
            location=location,
        )
        world.messages[user_id][msg.message_id] = msg
        update_id = world.enqueue("message", world.msg_json(msg))
        world.event(
            "user_message", user_id, message_id=msg.message_id, message=snapshot(msg),
            update_id=update_id,
        )  # fmt: skip
        return {**snapshot(msg), "update_id": update_id}

    def user_sends_text(self, user_id: int, text: str) -> Json:
        """The user types `text`; a leading "/cmd" carries a bot_command entity."""
        if not text.strip():
            raise ControlError("a user cannot send an empty message")
        return self._user_message(user_id, text=text, entities=_command_entities(text))

    def user_sends_document(
        self,
        user_id: int,
        file_name: str,
        data: bytes,
        *,
        caption: str = "",
        mime_type: str | None = None,
    ) -> Json:
        self.user(user_id)
        mime = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        record = self.world.new_file("document", data, file_name=file_name, mime_type=mime)
        return self._user_message(user_id, caption=caption, media_kind="document", media=record)

    def user_sends_photo(
        self, user_id: int, data: bytes | None = None, *, caption: str = ""
    ) -> Json:
        self.user(user_id)
        payload = data or TINY_PNG
        width, height = image_size(payload)
        record = self.world.new_file("photo", payload, width=width, height=height)
        return self._user_message(user_id, caption=caption, media_kind="photo", media=record)

    def user_sends_sticker(self, user_id: int, emoji: str = "👍") -> Json:
        self.user(user_id)
        record = self.world.new_file(
            "sticker", b"RIFF\0\0\0\0WEBP", width=512, height=512, emoji=emoji
        )
        return self._user_message(user_id, media_kind="sticker", media=record)

    def user_sends_voice(self, user_id: int, duration: int = 3, data: bytes | None = None) -> Json:
        self.user(user_id)
        record = self.world.new_file(
            "voice", data or b"OggS\0voice", duration=duration, mime_type="audio/ogg"
        )
        return self._user_message(user_id, media_kind="voice", media=record)

    def user_sends_location(self, user_id: int, latitude: float, longitude: float) -> Json:
        return self._user_message(user_id, location={"latitude": latitude, "longitude": longitude})

    def user_edits(self, user_id: int, message_id: int, text: str) -> Json:
        world = self.world
        self.user(user_id)
        msg = world.messages.get(user_id, {}).get(message_id)
        if msg is None or msg.from_bot or msg.deleted:
            raise ControlError(f"user {user_id} has no message {message_id} to edit", 404)
        msg.remember()
        if msg.media_kind is None:
            msg.text = text
        else:
            msg.caption = text
        msg.entities = _command_entities(text) if msg.media_kind is None else []
        msg.edit_date = world.clock.unix()
        update_id = world.enqueue("edited_message", world.msg_json(msg))
        world.event(
            "user_edit", user_id, message_id=message_id, message=snapshot(msg),
            update_id=update_id,
        )  # fmt: skip
        return {**snapshot(msg), "update_id": update_id}

    def user_presses(
        self,
        user_id: int,
        message_id: int,
        *,
        button_text: str | None = None,
        callback_data: str | None = None,
    ) -> Json:
        """Press an inline button found by text or data; unknown raw data is sent as given,
        which is how tests forge callbacks."""
        world = self.world
        self.user(user_id)
        msg = world.messages.get(user_id, {}).get(message_id)
        if msg is None or msg.deleted or not msg.from_bot:
            raise ControlError(f"no bot message {message_id} in chat {user_id}", 404)
        buttons = [
            b
            for row in (msg.reply_markup or {}).get("inline_keyboard", [])
            for b in row
            if isinstance(b, dict)
        ]
        data = callback_data
        if button_text is not None:
            found = [b for b in buttons if b.get("text") == button_text]
            if not found:
                names = [b.get("text") for b in buttons]
                raise ControlError(
                    f"message {message_id} has no button {button_text!r}; buttons: {names}", 404
                )
            if "callback_data" not in found[0]:
                raise ControlError(f"button {button_text!r} has no callback_data")
            data = found[0]["callback_data"]
        if data is None:
            raise ControlError("give button_text or callback_data")
        world.callback_seq += 1
        query_id = str(4_000_000_000_000_000_000 + world.callback_seq)
        query: Json = {
            "id": query_id,
            "from": world.users[user_id].to_json(),
            "message": world.msg_json(msg),
            "chat_instance": str(abs(hash(("chat", user_id))) % 10**18),
            "data": data,
        }
        world.callbacks[query_id] = {
            "id": query_id,
            "chat_id": user_id,
            "message_id": message_id,
            "data": data,
            "answered": False,
            "answer": None,
        }
        update_id = world.enqueue("callback_query", query)
        world.event(
            "user_press", user_id, message_id=message_id, callback_query_id=query_id, data=data,
            update_id=update_id,
        )  # fmt: skip
        return {"callback_query_id": query_id, "update_id": update_id, "data": data}

    def _member_update(self, user: SimUserRecord, old: str, new: str) -> None:
        def member(status: str) -> Json:
            # A "kicked" member (ChatMemberBanned) always carries until_date; 0 means forever.
            json: Json = {"status": status, "user": self.world.bot_user_json()}
            if status == "kicked":
                json["until_date"] = 0
            return json

        self.world.enqueue(
            "my_chat_member",
            {
                "chat": user.chat_json(),
                "from": user.to_json(),
                "date": self.world.clock.unix(),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    def block_bot(self, user_id: int) -> None:
        user = self.user(user_id)
        if not user.blocked:
            user.blocked = True
            self._member_update(user, "member", "kicked")
            self.world.event("user_block", user_id)

    def unblock_bot(self, user_id: int) -> None:
        user = self.user(user_id)
        if user.blocked:
            user.blocked = False
            self._member_update(user, "kicked", "member")
            self.world.event("user_unblock", user_id)

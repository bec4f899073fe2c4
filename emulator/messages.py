"""Bot API methods that put messages in a chat and change them: send, edit, delete, copy."""

from __future__ import annotations

import copy
from typing import Any

from emulator.bot_api import MethodGroup
from emulator.params import FilePart, chat_id_param, opt_int
from emulator.state import FileRecord, Json, StoredMessage, bad_request, snapshot
from emulator.validation import formatted, input_file, reply_markup, target
from emulator.world import World

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


class MessageMethods(MethodGroup):
    def __init__(self, world: World) -> None:
        self.world = world

    def _bot_message(
        self,
        chat_id: int,
        *,
        text: str | None = None,
        caption: str | None = None,
        entities: list[Json] | None = None,
        html: str | None = None,
        markup: Json | None = None,
        media_kind: str | None = None,
        media: FileRecord | None = None,
        location: Json | None = None,
        copied_from: tuple[int, int] | None = None,
    ) -> StoredMessage:
        world = self.world
        msg = StoredMessage(
            chat_id=chat_id,
            message_id=world.next_message_id(chat_id),
            from_bot=True,
            sender_id=world.bot_id,
            date=world.clock.unix(),
            text=text,
            caption=caption,
            entities=entities or [],
            html=html,
            reply_markup=markup,
            media_kind=media_kind,
            media=media,
            location=location,
        )
        world.messages[chat_id][msg.message_id] = msg
        world.counters["bot_messages"] += 1
        extra: Json = {"copied_from": list(copied_from)} if copied_from else {}
        world.event(
            "bot_message", chat_id, message_id=msg.message_id, message=snapshot(msg), **extra
        )
        return msg

    def _editable(self, params: dict[str, Any]) -> StoredMessage:
        if params.get("inline_message_id"):
            raise bad_request("message to edit not found")
        chat_id = chat_id_param(params)
        target(self.world, chat_id)
        message_id = opt_int(params, "message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        msg = self.world.messages.get(chat_id, {}).get(message_id)
        if msg is None or msg.deleted or not msg.from_bot:
            raise bad_request("message to edit not found")
        return msg

    def _apply_edit(self, msg: StoredMessage, body: str, entities: list[Json], html: str | None,
                    markup: Json | None) -> Json:  # fmt: skip
        candidate = copy.copy(msg)
        if msg.media_kind is None:
            candidate.text = body
        else:
            candidate.caption = body
        candidate.entities, candidate.html, candidate.reply_markup = entities, html, markup
        if candidate.content_key() == msg.content_key():
            raise bad_request(NOT_MODIFIED)
        msg.remember()
        if msg.media_kind is None:
            msg.text = body
        else:
            msg.caption = body
        msg.entities, msg.html, msg.reply_markup = entities, html, markup
        msg.edit_date = self.world.clock.unix()
        self.world.event("bot_edit", msg.chat_id, message_id=msg.message_id, message=snapshot(msg))
        return self.world.msg_json(msg)

    async def _m_sendmessage(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        chat_id = chat_id_param(p)
        target(self.world, chat_id)
        text, entities, html = formatted(self.world, p, "text", "entities", caption=False)
        markup = reply_markup(p)
        msg = self._bot_message(chat_id, text=text, entities=entities, html=html, markup=markup)
        return self.world.msg_json(msg)

    async def _send_media(self, p: dict[str, Any], f: dict[str, FilePart], kind: str) -> Any:
        chat_id = chat_id_param(p)
        target(self.world, chat_id)
        caption, entities, html = formatted(
            self.world, p, "caption", "caption_entities", caption=True
        )
        markup = reply_markup(p)
        record = input_file(self.world, p, f, kind, kind)
        msg = self._bot_message(
            chat_id,
            caption=caption,
            entities=entities,
            html=html,
            markup=markup,
            media_kind=kind,
            media=record,
        )
        return self.world.msg_json(msg)

    async def _m_senddocument(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        return await self._send_media(p, f, "document")

    async def _m_sendphoto(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        return await self._send_media(p, f, "photo")

    async def _m_editmessagetext(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        msg = self._editable(p)
        if msg.media_kind is not None:
            raise bad_request("there is no text in the message to edit")
        text, entities, html = formatted(self.world, p, "text", "entities", caption=False)
        return self._apply_edit(msg, text, entities, html, reply_markup(p))

    async def _m_editmessagecaption(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        msg = self._editable(p)
        if msg.media_kind is None:
            raise bad_request("there is no caption in the message to edit")
        caption, entities, html = formatted(
            self.world, p, "caption", "caption_entities", caption=True
        )
        return self._apply_edit(msg, caption, entities, html, reply_markup(p))

    async def _m_editmessagereplymarkup(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        msg = self._editable(p)
        body = msg.text if msg.media_kind is None else msg.caption
        return self._apply_edit(msg, body or "", msg.entities, msg.html, reply_markup(p))

    async def _m_deletemessage(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        chat_id = chat_id_param(p)
        if chat_id not in self.world.users:
            raise bad_request("chat not found")
        message_id = opt_int(p, "message_id")
        msg = self.world.messages.get(chat_id, {}).get(message_id or 0)
        if msg is None or msg.deleted:
            raise bad_request("message to delete not found")
        msg.deleted = True
        self.world.event("bot_delete", chat_id, message_id=msg.message_id, message=snapshot(msg))
        return True

    async def _m_copymessage(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        chat_id = chat_id_param(p)
        from_chat_id = chat_id_param(p, "from_chat_id")
        if from_chat_id not in self.world.users:
            raise bad_request("chat not found")
        target(self.world, chat_id)
        message_id = opt_int(p, "message_id")
        source = self.world.messages.get(from_chat_id, {}).get(message_id or 0)
        if source is None or source.deleted:
            raise bad_request("message to copy not found")
        markup = reply_markup(p)
        if source.media_kind is None and source.location is None:
            msg = self._bot_message(
                chat_id,
                text=source.text,
                entities=copy.deepcopy(source.entities),
                html=source.html,
                markup=markup,
                copied_from=(from_chat_id, source.message_id),
            )
        else:
            caption: str | None
            if "caption" in p:
                caption, entities, html = formatted(
                    self.world, p, "caption", "caption_entities", caption=True
                )
            else:
                caption, entities, html = source.caption, source.entities, source.html
            msg = self._bot_message(
                chat_id,
                caption=caption,
                entities=copy.deepcopy(entities),
                html=html,
                markup=markup,
                media_kind=source.media_kind,
                media=source.media,
                location=source.location,
                copied_from=(from_chat_id, source.message_id),
            )
        return {"message_id": msg.message_id}

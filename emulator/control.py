"""The control API under /_emulator/...: the HTTP face of the emulator's in-process test API."""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from emulator.limits import FloodLimits
from emulator.params import FilePart, dumps, read_multipart
from emulator.state import ControlError, Json

if TYPE_CHECKING:
    from emulator.server import TelegramEmulator


def _ok(data: Any) -> web.Response:
    return web.json_response(data, dumps=dumps)


async def _body(request: web.Request) -> Json:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise ControlError("body must be JSON") from None
    if not isinstance(body, dict):
        raise ControlError("body must be a JSON object")
    return body


def _int_arg(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ControlError(f"{name} must be an integer") from None


def _b64(value: Any) -> bytes:
    try:
        return base64.b64decode(str(value or ""), validate=True)
    except (binascii.Error, ValueError):
        raise ControlError("data_b64 is not valid base64") from None


async def _guard(coro: Any) -> web.Response:
    try:
        return _ok(await coro)
    except ControlError as error:
        return web.json_response({"error": str(error)}, status=error.status, dumps=dumps)


class ControlApi:
    def __init__(self, emulator: TelegramEmulator) -> None:
        self.emulator = emulator

    def add_routes(self, app: web.Application) -> None:
        r = app.router
        c = "/_emulator"
        r.add_post(f"{c}/users", self._c_create_user)
        r.add_post(f"{c}/users/{{user_id}}/{{action}}", self._c_user_action)
        r.add_get(f"{c}/chats/{{chat_id}}/messages", self._c_messages)
        r.add_get(f"{c}/chats/{{chat_id}}/events", self._c_events)
        r.add_get(f"{c}/callbacks/{{query_id}}", self._c_callback)
        r.add_get(f"{c}/files/{{file_id}}", self._c_file)
        r.add_get(f"{c}/log", self._c_log)
        r.add_get(f"{c}/stats", self._c_stats)
        r.add_get(f"{c}/transcript", self._c_transcript)
        r.add_get(f"{c}/updates", self._c_updates)
        r.add_get(f"{c}/commands", self._c_commands)
        r.add_post(f"{c}/flood", self._c_flood)
        r.add_post(f"{c}/faults", self._c_faults)
        r.add_delete(f"{c}/faults", self._c_clear_faults)
        r.add_post(f"{c}/reset", self._c_reset)

    async def _c_create_user(self, request: web.Request) -> web.Response:
        async def run() -> Json:
            b = await _body(request)
            return self.emulator.create_user(
                _int_arg(b.get("id"), "id"),
                str(b.get("first_name") or "User"),
                last_name=b.get("last_name"),
                username=b.get("username"),
                language_code=b.get("language_code", "uk"),
                started=bool(b.get("started", False)),
            )

        return await _guard(run())

    async def _c_user_action(self, request: web.Request) -> web.Response:
        emu = self.emulator

        async def run() -> Any:
            user_id = _int_arg(request.match_info["user_id"], "user_id")
            action = request.match_info["action"]
            if action == "document" and request.content_type.startswith("multipart/"):
                params: dict[str, Any] = {}
                files: dict[str, FilePart] = {}
                await read_multipart(await request.multipart(), params, files)
                part = files.get("document")
                if part is None:
                    raise ControlError("multipart upload needs a 'document' file part")
                return emu.user_sends_document(
                    user_id, part.filename, part.data, caption=params.get("caption", "")
                )
            b = await _body(request)
            if action == "send":
                return emu.user_sends_text(user_id, str(b.get("text", "")))
            if action == "document":
                return emu.user_sends_document(
                    user_id,
                    str(b.get("file_name") or "file.bin"),
                    _b64(b.get("data_b64")),
                    caption=str(b.get("caption") or ""),
                    mime_type=b.get("mime_type"),
                )
            if action == "photo":
                data = _b64(b["data_b64"]) if b.get("data_b64") else None
                return emu.user_sends_photo(user_id, data, caption=str(b.get("caption") or ""))
            if action == "sticker":
                return emu.user_sends_sticker(user_id, str(b.get("emoji") or "👍"))
            if action == "voice":
                return emu.user_sends_voice(user_id, int(b.get("duration", 3)))
            if action == "location":
                return emu.user_sends_location(
                    user_id, float(b.get("latitude", 50.45)), float(b.get("longitude", 30.52))
                )
            if action == "press":
                return emu.user_presses(
                    user_id,
                    _int_arg(b.get("message_id"), "message_id"),
                    button_text=b.get("button_text"),
                    callback_data=b.get("callback_data"),
                )
            if action == "edit":
                return emu.user_edits(
                    user_id, _int_arg(b.get("message_id"), "message_id"), str(b["text"])
                )
            if action == "block":
                emu.block_bot(user_id)
                return {"blocked": True}
            if action == "unblock":
                emu.unblock_bot(user_id)
                return {"blocked": False}
            raise ControlError(f"unknown user action {action!r}", 404)

        return await _guard(run())

    async def _c_messages(self, request: web.Request) -> web.Response:
        async def run() -> Any:
            chat_id = _int_arg(request.match_info["chat_id"], "chat_id")
            q = request.query
            return self.emulator.chat_messages(
                chat_id,
                include_user=q.get("include_user") in ("1", "true"),
                include_deleted=q.get("include_deleted") in ("1", "true"),
            )

        return await _guard(run())

    async def _c_events(self, request: web.Request) -> web.Response:
        async def run() -> Any:
            chat_id = _int_arg(request.match_info["chat_id"], "chat_id")
            after = _int_arg(request.query.get("after", "0"), "after")
            timeout = min(float(request.query.get("timeout", "0")), 120.0)
            return await self.emulator.wait_bot_events(chat_id, after, timeout)

        return await _guard(run())

    async def _c_callback(self, request: web.Request) -> web.Response:
        async def run() -> Any:
            query = self.emulator.callbacks.get(request.match_info["query_id"])
            if query is None:
                raise ControlError("unknown callback query", 404)
            return query

        return await _guard(run())

    async def _c_file(self, request: web.Request) -> web.Response:
        try:
            data = self.emulator.file_bytes(request.match_info["file_id"])
        except ControlError as error:
            return web.json_response({"error": str(error)}, status=error.status)
        return web.Response(body=data, content_type="application/octet-stream")

    async def _c_log(self, request: web.Request) -> web.Response:
        method = request.query.get("method")
        calls = [
            c
            for c in self.emulator.calls
            if method is None or c["method"].lower() == method.lower()
        ]
        return _ok(calls)

    async def _c_stats(self, request: web.Request) -> web.Response:
        return _ok(self.emulator.stats())

    async def _c_transcript(self, request: web.Request) -> web.Response:
        chat = request.query.get("chat_id")
        return _ok(self.emulator.transcript(int(chat) if chat else None))

    async def _c_updates(self, request: web.Request) -> web.Response:
        return _ok(self.emulator.pending_updates())

    async def _c_commands(self, request: web.Request) -> web.Response:
        return _ok(
            [{"scope": json.loads(s), "language_code": lang, "commands": cmds}
             for (s, lang), cmds in self.emulator.commands.items()]
        )  # fmt: skip

    async def _c_flood(self, request: web.Request) -> web.Response:
        emu = self.emulator

        async def run() -> Any:
            b = await _body(request)
            if not b or b.get("enabled") is False:
                emu.set_flood(None)
            else:
                emu.set_flood(
                    FloodLimits(
                        global_per_second=float(b.get("global_per_second", 30)),
                        per_chat_per_second=float(b.get("per_chat_per_second", 1)),
                    )
                )
            return {"flood": None if emu.flood is None else vars(emu.flood)}

        return await _guard(run())

    async def _c_faults(self, request: web.Request) -> web.Response:
        faults = self.emulator.faults

        async def run() -> Any:
            b = await _body(request)
            methods = b.get("methods")
            if b.get("retry_after") is not None:
                faults.force_retry_after(int(b["retry_after"]), methods=methods)
            else:
                try:
                    faults.add(
                        b.get("mode", "502"),
                        count=b.get("count", 1),
                        methods=methods,
                        duration=b.get("duration"),
                        probability=float(b.get("probability", 1.0)),
                        seed=b.get("seed"),
                    )
                except ValueError as error:
                    raise ControlError(str(error)) from None
            return {"rules": [r.describe() for r in faults.rules]}

        return await _guard(run())

    async def _c_clear_faults(self, request: web.Request) -> web.Response:
        self.emulator.faults.clear()
        return _ok({"rules": []})

    async def _c_reset(self, request: web.Request) -> web.Response:
        self.emulator.reset()
        return _ok({"reset": True})

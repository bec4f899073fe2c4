"""A local stand-in for the Telegram Bot API (aiohttp), with a control API that plays the users."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import copy
import functools
import json
import mimetypes
import re
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, ClientError, ClientSession, ClientTimeout, MultipartReader, web

from emulator.html_entities import HtmlParseError, parse_html, strip_text, utf16_len
from emulator.limits import Clock, FaultInjector, FloodGate, FloodLimits
from emulator.state import (
    ApiError,
    FileRecord,
    Json,
    SimUserRecord,
    StoredMessage,
    bad_request,
    message_json,
    snapshot,
)

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
# methods that Telegram's flood control meters
FLOOD_METHODS = frozenset(
    {
        "sendmessage",
        "senddocument",
        "sendphoto",
        "copymessage",
        "editmessagetext",
        "editmessagereplymarkup",
        "editmessagecaption",
    }
)
BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
DEFAULT_UPDATE_TYPES = frozenset(
    {"message", "edited_message", "callback_query", "my_chat_member", "inline_query"}
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"RIFF", b"BM")
# a 1x1 PNG, the default picture a simulated user sends
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

_dumps = functools.partial(json.dumps, ensure_ascii=False)


class ControlError(Exception):
    """A misuse of the control API (not a Bot API error); answered as {"error": ...}."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class FilePart:
    filename: str
    data: bytes
    content_type: str


@dataclass
class Webhook:
    url: str
    secret_token: str | None
    last_error_date: int | None = None
    last_error_message: str | None = None


def _image_size(data: bytes) -> tuple[int, int]:
    if data.startswith(b"\x89PNG") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 1280, 720


async def _read_multipart(
    reader: MultipartReader, params: dict[str, Any], files: dict[str, FilePart]
) -> None:
    while True:
        part = await reader.next()
        if part is None:
            return
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        data = bytes(await part.read(decode=True))
        if part.filename is not None:
            ctype = part.headers.get("Content-Type", "application/octet-stream")
            files[part.name] = FilePart(part.filename, data, ctype)
        else:
            params[part.name] = data.decode("utf-8")


async def read_request(request: web.Request) -> tuple[dict[str, Any], dict[str, FilePart]]:
    """Collect parameters the way the Bot API does: query string, JSON, urlencoded or multipart."""
    params: dict[str, Any] = dict(request.query)
    files: dict[str, FilePart] = {}
    if not request.can_read_body:
        return params, files
    ctype = request.content_type
    if ctype.startswith("multipart/"):
        await _read_multipart(await request.multipart(), params, files)
    elif ctype == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
    elif ctype == "application/x-www-form-urlencoded":
        params.update((await request.post()).items())
    return params, files


def _opt_str(params: dict[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    return str(value)


def _opt_int(params: dict[str, Any], name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise bad_request(f'field "{name}" must be of type Integer')
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f'field "{name}" must be of type Integer') from None


def _opt_bool(params: dict[str, Any], name: str) -> bool:
    value = params.get(name)
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1")


def _opt_json(params: dict[str, Any], name: str) -> Any:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    return value


def _chat_id(params: dict[str, Any], name: str = "chat_id") -> int:
    value = params.get(name)
    if value is None or value == "":
        raise bad_request(f"{name} is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        # "@username" addresses only public chats; private chats never match
        raise bad_request("chat not found") from None


def _summary(params: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in params.items():
        text = value if isinstance(value, str) else _dumps(value)
        out[key] = text if len(text) <= 80 else text[:77] + "..."
    return out


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
        self.token = token
        if bot_id is None:
            prefix = (token or "").split(":", 1)[0]
            bot_id = int(prefix) if prefix.isdigit() else 7000000001
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.strict_ampersand = strict_ampersand
        self.clock = Clock(clock_scale)
        self.faults = FaultInjector(self.clock)
        self._flood_gate: FloodGate | None = FloodGate(flood, self.clock) if flood else None
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._http: ClientSession | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self.base_url = ""
        self._methods = {
            name[3:]: getattr(self, name) for name in dir(self) if name.startswith("_m_")
        }
        self._reset_state()

    # ------------------------------------------------------------------ lifecycle

    def _reset_state(self) -> None:
        self.users: dict[int, SimUserRecord] = {}
        self.messages: dict[int, dict[int, StoredMessage]] = {}
        self.files: dict[str, FileRecord] = {}
        self._file_seq = 0
        self._updates: list[Json] = []
        self._update_seq = 0
        self._allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._poll_token = 0
        self.callbacks: dict[str, Json] = {}
        self._callback_seq = 0
        self.events: list[Json] = []
        self.calls: list[Json] = []
        self.commands: dict[tuple[str, str], list[Json]] = {}
        self.webhook: Webhook | None = None
        self._counters: Counter[str] = Counter()
        self._stop_webhook()
        self.faults.clear()
        self.faults.injected = 0

    def reset(self) -> None:
        """Forget every user, message, update, log entry and fault; keep flood settings."""
        self._reset_state()
        self._notify()

    @property
    def flood(self) -> FloodLimits | None:
        return self._flood_gate.limits if self._flood_gate else None

    def set_flood(self, limits: FloodLimits | None) -> None:
        self._flood_gate = FloodGate(limits, self.clock) if limits else None

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_bot_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._add_control_routes(app)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on host:port (0 = any free port); return the base URL for from_base()."""
        self._runner = web.AppRunner(self.make_app(), access_log=None, handler_cancellation=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_port = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{bound_port}"
        self._closing = False
        self._http = ClientSession(timeout=ClientTimeout(total=10))
        return self.base_url

    async def stop(self) -> None:
        self._closing = True
        self._stop_webhook()
        self._poll_token += 1
        self._notify()
        if self._http is not None:
            await self._http.close()
            self._http = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> TelegramEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ plumbing

    def _notify(self) -> None:
        """Wake every long poll; each re-checks its own condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), remaining)

    def _event(self, kind: str, chat_id: int, **data: Any) -> Json:
        self._counters["events"] += 1
        event: Json = {
            "seq": self._counters["events"],
            "time": round(self.clock.now(), 3),
            "date": self.clock.unix(),
            "kind": kind,
            "chat_id": chat_id,
            **data,
        }
        self.events.append(event)
        self._notify()
        return event

    def _enqueue(self, kind: str, payload: Json) -> int | None:
        if kind not in self._allowed_updates:
            return None
        self._update_seq += 1
        self._updates.append({"update_id": self._update_seq, kind: payload})
        self._counters["updates_created"] += 1
        self._notify()
        return self._update_seq

    def bot_user_json(self) -> Json:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _msg_json(self, msg: StoredMessage) -> Json:
        sender = self.bot_user_json() if msg.from_bot else self.users[msg.sender_id].to_json()
        return message_json(msg, sender, self.users[msg.chat_id].chat_json())

    def _next_message_id(self, chat_id: int) -> int:
        chat = self.messages.setdefault(chat_id, {})
        return max(chat, default=0) + 1

    def _new_file(self, kind: str, data: bytes, **extra: Any) -> FileRecord:
        self._file_seq += 1
        unique = f"AgAD{self._file_seq:06d}"
        record = FileRecord(
            file_id=f"BQACAgIAAx{kind[:3]}{self._file_seq:06d}", file_unique_id=unique,
            data=data, kind=kind, **extra,
        )  # fmt: skip
        self.files[record.file_id] = record
        return record

    # ------------------------------------------------------------------ HTTP: Bot API

    def _respond(self, status: int, body: Json) -> web.Response:
        return web.json_response(body, status=status, dumps=_dumps)

    async def _handle_bot_api(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        method = request.match_info["method"]
        if self.token is not None and token != self.token:
            return self._respond(
                401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
        try:
            params, files = await read_request(request)
        except ValueError:
            return self._respond(400, bad_request("can't parse request body").payload())
        fault = self.faults.pick(method)
        if fault is not None and fault.mode != "drop_after":
            if fault.mode == "drop":
                self._log(method, params, "dropped", None)
                return self._drop(request)
            if fault.mode == "429":
                error = self._too_many(fault.retry_after)
            else:
                code = int(fault.mode)
                text = "Internal Server Error" if code == 500 else "Bad Gateway"
                error = ApiError(code, text)
            self._log(method, params, error.code, error.description)
            return self._respond(error.code, error.payload())
        status, body = await self.call(method, params, files)
        if fault is not None:
            return self._drop(request)
        return self._respond(status, body)

    def _drop(self, request: web.Request) -> web.StreamResponse:
        self._counters["dropped"] += 1
        if request.transport is not None:
            request.transport.close()
        return web.Response(status=500)

    def _too_many(self, retry_after: int) -> ApiError:
        self._counters["errors_429"] += 1
        return ApiError(
            429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
        )

    async def call(
        self, method: str, params: dict[str, Any], files: dict[str, FilePart] | None = None
    ) -> tuple[int, Json]:
        """Run one Bot API method as if it came over HTTP; return (status, JSON body)."""
        handler = self._methods.get(method.lower())
        if handler is None:
            error = ApiError(404, "Not Found: method not found")
            self._log(method, params, error.code, error.description)
            return error.code, error.payload()
        try:
            if method.lower() in FLOOD_METHODS and self._flood_gate is not None:
                try:
                    chat: int | None = int(params.get("chat_id", ""))
                except (TypeError, ValueError):
                    chat = None
                retry_after = self._flood_gate.check(chat)
                if retry_after:
                    raise self._too_many(retry_after)
            result = await handler(params, files or {})
        except ApiError as error:
            self._log(method, params, error.code, error.description)
            return error.code, error.payload()
        self._log(method, params, "ok", None, result)
        return 200, {"ok": True, "result": result}

    def _log(
        self,
        method: str,
        params: dict[str, Any],
        outcome: int | str,
        description: str | None,
        result: Any = None,
    ) -> None:
        self._counters["calls"] += 1
        chat_id: Any = params.get("chat_id")
        with contextlib.suppress(TypeError, ValueError):
            chat_id = int(chat_id) if chat_id is not None else None
        entry: Json = {
            "seq": self._counters["calls"],
            "time": round(self.clock.now(), 3),
            "method": method,
            "chat_id": chat_id,
            "params": _summary(params),
            "outcome": outcome,
            "description": description,
        }
        if isinstance(result, dict) and "message_id" in result:
            entry["message_id"] = result["message_id"]
        self.calls.append(entry)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        if self.token is not None and token != self.token:
            return self._respond(
                401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
        path = request.match_info["path"]
        for record in self.files.values():
            if record.file_path == path:
                return web.Response(body=record.data, content_type="application/octet-stream")
        return self._respond(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    # ------------------------------------------------------------------ validation helpers

    def _target(self, chat_id: int) -> SimUserRecord:
        user = self.users.get(chat_id)
        if user is None:
            raise bad_request("chat not found")
        if user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if not user.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return user

    def _format(
        self, params: dict[str, Any], field: str, entities_field: str, *, caption: bool
    ) -> tuple[str, list[Json], str | None]:
        raw = params.get(field)
        text = "" if raw is None else str(raw)
        parse_mode = (_opt_str(params, "parse_mode") or "").lower()
        html: str | None = None
        if parse_mode == "html":
            try:
                plain, entities = parse_html(text, strict_ampersand=self.strict_ampersand)
            except HtmlParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
            html = text
        elif parse_mode in ("", "markdown", "markdownv2"):
            # Markdown is not parsed here; the bot is expected to use HTML
            plain, entities = text, list(_opt_json(params, entities_field) or [])
        else:
            raise bad_request("unsupported parse_mode")
        plain, entities = strip_text(plain, entities)
        if caption:
            if utf16_len(plain) > MAX_CAPTION:
                raise bad_request("message caption is too long")
        else:
            if not plain:
                raise bad_request("message text is empty")
            if utf16_len(plain) > MAX_TEXT:
                raise bad_request("message is too long")
        return plain, entities, html

    def _markup(self, params: dict[str, Any]) -> Json | None:
        markup = _opt_json(params, "reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            shape_error = bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
            )
            if not isinstance(rows, list):
                raise shape_error
            for row in rows:
                if not isinstance(row, list):
                    raise shape_error
                for button in row:
                    self._check_button(button)
        elif "keyboard" in markup:
            if not isinstance(markup["keyboard"], list):
                raise bad_request(
                    'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
                )
        elif not ("remove_keyboard" in markup or "force_reply" in markup):
            raise bad_request("can't parse reply keyboard markup JSON object")
        return markup

    @staticmethod
    def _check_button(button: Any) -> None:
        prefix = "can't parse inline keyboard button: "
        if not isinstance(button, dict):
            raise bad_request(prefix + "InlineKeyboardButton must be an Object")
        if not isinstance(button.get("text"), str):
            raise bad_request(prefix + 'Field "text" must be of type String')
        actions = [key for key in BUTTON_ACTIONS if key in button]
        if not actions:
            raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
        if len(actions) > 1:
            raise bad_request(prefix + "Exactly one of the optional fields must be used")
        if "callback_data" in button:
            data = button["callback_data"]
            size = len(data.encode("utf-8")) if isinstance(data, str) else 0
            if not 1 <= size <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
        if "url" in button:
            url = button["url"]
            if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
                raise bad_request("BUTTON_URL_INVALID")

    def _input_file(
        self, params: dict[str, Any], files: dict[str, FilePart], field: str, kind: str
    ) -> FileRecord:
        part = files.get(field)
        value = params.get(field)
        if part is None and isinstance(value, str) and value.startswith("attach://"):
            part = files.get(value[len("attach://") :])
            if part is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
        if part is not None:
            if not part.data:
                raise bad_request("file must be non-empty")
            if kind == "photo":
                if not part.data.startswith(_IMAGE_MAGIC):
                    raise bad_request("IMAGE_PROCESS_FAILED")
                width, height = _image_size(part.data)
                return self._new_file("photo", part.data, width=width, height=height)
            mime = part.content_type
            if mime in ("", "application/octet-stream"):
                mime = mimetypes.guess_type(part.filename)[0] or "application/octet-stream"
            return self._new_file(kind, part.data, file_name=part.filename, mime_type=mime)
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {kind} in the request")
        if value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        record = self.files.get(value)
        if record is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if record.kind != kind:
            raise bad_request("type of file mismatch")
        return record

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
        msg = StoredMessage(
            chat_id=chat_id,
            message_id=self._next_message_id(chat_id),
            from_bot=True,
            sender_id=self.bot_id,
            date=self.clock.unix(),
            text=text,
            caption=caption,
            entities=entities or [],
            html=html,
            reply_markup=markup,
            media_kind=media_kind,
            media=media,
            location=location,
        )
        self.messages[chat_id][msg.message_id] = msg
        self._counters["bot_messages"] += 1
        extra: Json = {"copied_from": list(copied_from)} if copied_from else {}
        self._event(
            "bot_message", chat_id, message_id=msg.message_id, message=snapshot(msg), **extra
        )
        return msg

    def _editable(self, params: dict[str, Any]) -> StoredMessage:
        if params.get("inline_message_id"):
            raise bad_request("message to edit not found")
        chat_id = _chat_id(params)
        self._target(chat_id)
        message_id = _opt_int(params, "message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        msg = self.messages.get(chat_id, {}).get(message_id)
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
        msg.edit_date = self.clock.unix()
        self._event("bot_edit", msg.chat_id, message_id=msg.message_id, message=snapshot(msg))
        return self._msg_json(msg)

    # ------------------------------------------------------------------ Bot API methods

    async def _m_getme(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        return {
            **self.bot_user_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_logout(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        return True

    async def _m_close(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        return True

    async def _m_getupdates(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _opt_int(p, "offset")
        limit = min(max(_opt_int(p, "limit") or 100, 1), 100)
        timeout = max(_opt_int(p, "timeout") or 0, 0)
        allowed = _opt_json(p, "allowed_updates")
        if allowed is not None:
            self._allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        self._confirm(offset)
        self._poll_token += 1
        mine = self._poll_token
        self._notify()  # an older poll still waiting must give way
        deadline = time.monotonic() + timeout
        while True:
            if self._poll_token != mine:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if self._updates or time.monotonic() >= deadline:
                batch = self._updates[:limit]
                self._counters["updates_returned"] += len(batch)
                return batch
            await self._wait_change(deadline)

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    async def _m_setwebhook(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        url = _opt_str(p, "url")
        if _opt_bool(p, "drop_pending_updates"):
            self._updates.clear()
        allowed = _opt_json(p, "allowed_updates")
        if allowed is not None:
            self._allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        self._stop_webhook()
        if url is None:
            self.webhook = None
            return True
        if not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = _opt_str(p, "secret_token")
        if secret is not None and not _SECRET_RE.match(secret):
            raise bad_request("secret token contains unallowed characters")
        self.webhook = Webhook(url=url, secret_token=secret)
        self._webhook_task = asyncio.create_task(self._webhook_loop(self.webhook))
        self._poll_token += 1
        self._notify()
        return True

    async def _m_deletewebhook(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        self._stop_webhook()
        self.webhook = None
        if _opt_bool(p, "drop_pending_updates"):
            self._updates.clear()
        return True

    async def _m_getwebhookinfo(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        info: Json = {
            "url": self.webhook.url if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook is not None:
            info["max_connections"] = 40
            if self.webhook.last_error_date is not None:
                info["last_error_date"] = self.webhook.last_error_date
                info["last_error_message"] = self.webhook.last_error_message
        if self._allowed_updates != DEFAULT_UPDATE_TYPES:
            info["allowed_updates"] = sorted(self._allowed_updates)
        return info

    def _commands_key(self, p: dict[str, Any]) -> tuple[str, str]:
        scope = _opt_json(p, "scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), _opt_str(p, "language_code") or ""

    async def _m_setmycommands(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        commands = _opt_json(p, "commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            if not _COMMAND_RE.match(str(name).lstrip("/").lower()):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("command description must be non-empty")
        self.commands[self._commands_key(p)] = [
            {"command": str(c["command"]).lstrip("/").lower(), "description": c["description"]}
            for c in commands
        ]
        return True

    async def _m_getmycommands(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        return self.commands.get(self._commands_key(p), [])

    async def _m_deletemycommands(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        self.commands.pop(self._commands_key(p), None)
        return True

    async def _m_sendmessage(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        chat_id = _chat_id(p)
        self._target(chat_id)
        text, entities, html = self._format(p, "text", "entities", caption=False)
        markup = self._markup(p)
        msg = self._bot_message(chat_id, text=text, entities=entities, html=html, markup=markup)
        return self._msg_json(msg)

    async def _send_media(self, p: dict[str, Any], f: dict[str, FilePart], kind: str) -> Any:
        chat_id = _chat_id(p)
        self._target(chat_id)
        caption, entities, html = self._format(p, "caption", "caption_entities", caption=True)
        markup = self._markup(p)
        record = self._input_file(p, f, kind, kind)
        msg = self._bot_message(
            chat_id,
            caption=caption,
            entities=entities,
            html=html,
            markup=markup,
            media_kind=kind,
            media=record,
        )
        return self._msg_json(msg)

    async def _m_senddocument(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        return await self._send_media(p, f, "document")

    async def _m_sendphoto(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        return await self._send_media(p, f, "photo")

    async def _m_editmessagetext(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        msg = self._editable(p)
        if msg.media_kind is not None:
            raise bad_request("there is no text in the message to edit")
        text, entities, html = self._format(p, "text", "entities", caption=False)
        return self._apply_edit(msg, text, entities, html, self._markup(p))

    async def _m_editmessagecaption(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        msg = self._editable(p)
        if msg.media_kind is None:
            raise bad_request("there is no caption in the message to edit")
        caption, entities, html = self._format(p, "caption", "caption_entities", caption=True)
        return self._apply_edit(msg, caption, entities, html, self._markup(p))

    async def _m_editmessagereplymarkup(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        msg = self._editable(p)
        body = msg.text if msg.media_kind is None else msg.caption
        return self._apply_edit(msg, body or "", msg.entities, msg.html, self._markup(p))

    async def _m_deletemessage(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        chat_id = _chat_id(p)
        if chat_id not in self.users:
            raise bad_request("chat not found")
        message_id = _opt_int(p, "message_id")
        msg = self.messages.get(chat_id, {}).get(message_id or 0)
        if msg is None or msg.deleted:
            raise bad_request("message to delete not found")
        msg.deleted = True
        self._event("bot_delete", chat_id, message_id=msg.message_id, message=snapshot(msg))
        return True

    async def _m_copymessage(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        chat_id = _chat_id(p)
        from_chat_id = _chat_id(p, "from_chat_id")
        if from_chat_id not in self.users:
            raise bad_request("chat not found")
        self._target(chat_id)
        message_id = _opt_int(p, "message_id")
        source = self.messages.get(from_chat_id, {}).get(message_id or 0)
        if source is None or source.deleted:
            raise bad_request("message to copy not found")
        markup = self._markup(p)
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
                caption, entities, html = self._format(
                    p, "caption", "caption_entities", caption=True
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

    async def _m_answercallbackquery(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        query_id = _opt_str(p, "callback_query_id") or ""
        query = self.callbacks.get(query_id)
        if query is None or query["answered"]:
            raise bad_request(QUERY_INVALID)
        if len(_opt_str(p, "text") or "") > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        answer = {
            "text": _opt_str(p, "text"),
            "show_alert": _opt_bool(p, "show_alert"),
            "url": _opt_str(p, "url"),
        }
        query["answered"] = True
        query["answer"] = answer
        self._event("callback_answer", query["chat_id"], callback_query_id=query_id, **answer)
        return True

    async def _m_getfile(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        record = self.files.get(_opt_str(p, "file_id") or "")
        if record is None:
            raise bad_request("invalid file_id")
        return record.file_json()

    async def _m_sendchataction(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        self._target(_chat_id(p))
        if not _opt_str(p, "action"):
            raise bad_request("action is empty")
        return True

    # ------------------------------------------------------------------ webhook delivery

    def _stop_webhook(self) -> None:
        task = getattr(self, "_webhook_task", None)
        if task is not None:
            task.cancel()
        self._webhook_task = None

    async def _webhook_loop(self, hook: Webhook) -> None:
        backoff = 0.05
        while self.webhook is hook:
            if not self._updates or self._http is None:
                await self._wait_change(time.monotonic() + 1.0)
                continue
            update = self._updates[0]
            headers = {"Content-Type": "application/json"}
            if hook.secret_token:
                headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
            try:
                async with self._http.post(hook.url, data=_dumps(update), headers=headers) as resp:
                    if 200 <= resp.status < 300:
                        if update in self._updates:
                            self._updates.remove(update)
                        self._counters["webhook_delivered"] += 1
                        backoff = 0.05
                        await self._webhook_reply(resp)
                        continue
                    hook.last_error_message = (
                        f"Wrong response from the webhook: {resp.status} {resp.reason}"
                    )
            except (ClientError, TimeoutError, OSError) as error:
                hook.last_error_message = f"Connection failed: {type(error).__name__}"
            hook.last_error_date = self.clock.unix()
            self._counters["webhook_failures"] += 1
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 1.0)

    async def _webhook_reply(self, resp: Any) -> None:
        """Telegram runs a method the bot puts in its webhook response body."""
        params: dict[str, Any] = {}
        files: dict[str, FilePart] = {}
        ctype = resp.content_type or ""
        try:
            if ctype.startswith("multipart/"):
                await _read_multipart(MultipartReader(resp.headers, resp.content), params, files)
            elif ctype == "application/json":
                body = await resp.json()
                if isinstance(body, dict):
                    params.update(body)
        except (ValueError, ClientError):
            return
        method = params.pop("method", None)
        if isinstance(method, str) and method:
            await self.call(method, params, files)

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
        user = self.users.get(user_id)
        if user is None:
            user = SimUserRecord(user_id, first_name, last_name, username, language_code)
            self.users[user_id] = user
            self.messages.setdefault(user_id, {})
        else:
            user.first_name, user.last_name, user.username = first_name, last_name, username
        user.started = user.started or started
        return {**user.to_json(), "started": user.started}

    def _user(self, user_id: int) -> SimUserRecord:
        user = self.users.get(user_id)
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
        user = self._user(user_id)
        if user.blocked:
            # the "Restart" button in Telegram unblocks the bot before the message goes out
            self.unblock_bot(user_id)
        user.started = True
        msg = StoredMessage(
            chat_id=user_id,
            message_id=self._next_message_id(user_id),
            from_bot=False,
            sender_id=user_id,
            date=self.clock.unix(),
            text=text,
            caption=caption or None,
            entities=entities or [],
            media_kind=media_kind,
            media=media,
            location=location,
        )
        self.messages[user_id][msg.message_id] = msg
        update_id = self._enqueue("message", self._msg_json(msg))
        self._event(
            "user_message", user_id, message_id=msg.message_id, message=snapshot(msg),
            update_id=update_id,
        )  # fmt: skip
        return {**snapshot(msg), "update_id": update_id}

    @staticmethod
    def _command_entities(text: str) -> list[Json]:
        if not text.startswith("/") or len(text) < 2:
            return []
        command = text.split(maxsplit=1)[0]
        return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]

    def user_sends_text(self, user_id: int, text: str) -> Json:
        """The user types `text`; a leading "/cmd" carries a bot_command entity."""
        if not text.strip():
            raise ControlError("a user cannot send an empty message")
        return self._user_message(user_id, text=text, entities=self._command_entities(text))

    def user_sends_document(
        self,
        user_id: int,
        file_name: str,
        data: bytes,
        *,
        caption: str = "",
        mime_type: str | None = None,
    ) -> Json:
        self._user(user_id)
        mime = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        record = self._new_file("document", data, file_name=file_name, mime_type=mime)
        return self._user_message(user_id, caption=caption, media_kind="document", media=record)

    def user_sends_photo(
        self, user_id: int, data: bytes | None = None, *, caption: str = ""
    ) -> Json:
        self._user(user_id)
        payload = data or TINY_PNG
        width, height = _image_size(payload)
        record = self._new_file("photo", payload, width=width, height=height)
        return self._user_message(user_id, caption=caption, media_kind="photo", media=record)

    def user_sends_sticker(self, user_id: int, emoji: str = "👍") -> Json:
        self._user(user_id)
        record = self._new_file("sticker", b"RIFF\0\0\0\0WEBP", width=512, height=512, emoji=emoji)
        return self._user_message(user_id, media_kind="sticker", media=record)

    def user_sends_voice(self, user_id: int, duration: int = 3, data: bytes | None = None) -> Json:
        self._user(user_id)
        record = self._new_file(
            "voice", data or b"OggS\0voice", duration=duration, mime_type="audio/ogg"
        )
        return self._user_message(user_id, media_kind="voice", media=record)

    def user_sends_location(self, user_id: int, latitude: float, longitude: float) -> Json:
        return self._user_message(user_id, location={"latitude": latitude, "longitude": longitude})

    def user_edits(self, user_id: int, message_id: int, text: str) -> Json:
        self._user(user_id)
        msg = self.messages.get(user_id, {}).get(message_id)
        if msg is None or msg.from_bot or msg.deleted:
            raise ControlError(f"user {user_id} has no message {message_id} to edit", 404)
        msg.remember()
        if msg.media_kind is None:
            msg.text = text
        else:
            msg.caption = text
        msg.entities = self._command_entities(text) if msg.media_kind is None else []
        msg.edit_date = self.clock.unix()
        update_id = self._enqueue("edited_message", self._msg_json(msg))
        self._event(
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
        self._user(user_id)
        msg = self.messages.get(user_id, {}).get(message_id)
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
        self._callback_seq += 1
        query_id = str(4_000_000_000_000_000_000 + self._callback_seq)
        query: Json = {
            "id": query_id,
            "from": self.users[user_id].to_json(),
            "message": self._msg_json(msg),
            "chat_instance": str(abs(hash(("chat", user_id))) % 10**18),
            "data": data,
        }
        self.callbacks[query_id] = {
            "id": query_id,
            "chat_id": user_id,
            "message_id": message_id,
            "data": data,
            "answered": False,
            "answer": None,
        }
        update_id = self._enqueue("callback_query", query)
        self._event(
            "user_press", user_id, message_id=message_id, callback_query_id=query_id, data=data,
            update_id=update_id,
        )  # fmt: skip
        return {"callback_query_id": query_id, "update_id": update_id, "data": data}

    def _member_update(self, user: SimUserRecord, old: str, new: str) -> None:
        def member(status: str) -> Json:
            # A "kicked" member (ChatMemberBanned) always carries until_date; 0 means forever.
            json: Json = {"status": status, "user": self.bot_user_json()}
            if status == "kicked":
                json["until_date"] = 0
            return json

        self._enqueue(
            "my_chat_member",
            {
                "chat": user.chat_json(),
                "from": user.to_json(),
                "date": self.clock.unix(),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    def block_bot(self, user_id: int) -> None:
        user = self._user(user_id)
        if not user.blocked:
            user.blocked = True
            self._member_update(user, "member", "kicked")
            self._event("user_block", user_id)

    def unblock_bot(self, user_id: int) -> None:
        user = self._user(user_id)
        if user.blocked:
            user.blocked = False
            self._member_update(user, "kicked", "member")
            self._event("user_unblock", user_id)

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
            if found or self._closing or time.monotonic() >= deadline:
                return found
            await self._wait_change(deadline)

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
        return list(self._updates)

    def stats(self) -> Json:
        by_method = Counter(c["method"] for c in self.calls)
        by_outcome = Counter(str(c["outcome"]) for c in self.calls)
        return {
            "calls": len(self.calls),
            "by_method": dict(by_method),
            "by_outcome": dict(by_outcome),
            "errors_429": self._counters["errors_429"],
            "faults_injected": self.faults.injected,
            "dropped_connections": self._counters["dropped"],
            "bot_messages": self._counters["bot_messages"],
            "updates_created": self._counters["updates_created"],
            "updates_returned": self._counters["updates_returned"],
            "pending_updates": len(self._updates),
            "webhook_delivered": self._counters["webhook_delivered"],
            "webhook_failures": self._counters["webhook_failures"],
            "users": len(self.users),
            "clock_scale": self.clock.scale,
            "emulator_time": round(self.clock.now(), 3),
            "flood": None if self.flood is None else vars(self.flood),
        }

    # ------------------------------------------------------------------ HTTP: control API

    def _add_control_routes(self, app: web.Application) -> None:
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

    @staticmethod
    def _ok(data: Any) -> web.Response:
        return web.json_response(data, dumps=_dumps)

    @staticmethod
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

    @staticmethod
    def _int_arg(value: Any, name: str) -> int:
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ControlError(f"{name} must be an integer") from None

    async def _guard(self, coro: Any) -> web.Response:
        try:
            return self._ok(await coro)
        except ControlError as error:
            return web.json_response({"error": str(error)}, status=error.status, dumps=_dumps)

    async def _c_create_user(self, request: web.Request) -> web.Response:
        async def run() -> Json:
            b = await self._body(request)
            return self.create_user(
                self._int_arg(b.get("id"), "id"),
                str(b.get("first_name") or "User"),
                last_name=b.get("last_name"),
                username=b.get("username"),
                language_code=b.get("language_code", "uk"),
                started=bool(b.get("started", False)),
            )

        return await self._guard(run())

    async def _c_user_action(self, request: web.Request) -> web.Response:
        async def run() -> Any:
            user_id = self._int_arg(request.match_info["user_id"], "user_id")
            action = request.match_info["action"]
            if action == "document" and request.content_type.startswith("multipart/"):
                params: dict[str, Any] = {}
                files: dict[str, FilePart] = {}
                await _read_multipart(await request.multipart(), params, files)
                part = files.get("document")
                if part is None:
                    raise ControlError("multipart upload needs a 'document' file part")
                return self.user_sends_document(
                    user_id, part.filename, part.data, caption=params.get("caption", "")
                )
            b = await self._body(request)
            if action == "send":
                return self.user_sends_text(user_id, str(b.get("text", "")))
            if action == "document":
                return self.user_sends_document(
                    user_id,
                    str(b.get("file_name") or "file.bin"),
                    self._b64(b.get("data_b64")),
                    caption=str(b.get("caption") or ""),
                    mime_type=b.get("mime_type"),
                )
            if action == "photo":
                data = self._b64(b["data_b64"]) if b.get("data_b64") else None
                return self.user_sends_photo(user_id, data, caption=str(b.get("caption") or ""))
            if action == "sticker":
                return self.user_sends_sticker(user_id, str(b.get("emoji") or "👍"))
            if action == "voice":
                return self.user_sends_voice(user_id, int(b.get("duration", 3)))
            if action == "location":
                return self.user_sends_location(
                    user_id, float(b.get("latitude", 50.45)), float(b.get("longitude", 30.52))
                )
            if action == "press":
                return self.user_presses(
                    user_id,
                    self._int_arg(b.get("message_id"), "message_id"),
                    button_text=b.get("button_text"),
                    callback_data=b.get("callback_data"),
                )
            if action == "edit":
                return self.user_edits(
                    user_id, self._int_arg(b.get("message_id"), "message_id"), str(b["text"])
                )
            if action == "block":
                self.block_bot(user_id)
                return {"blocked": True}
            if action == "unblock":
                self.unblock_bot(user_id)
                return {"blocked": False}
            raise ControlError(f"unknown user action {action!r}", 404)

        return await self._guard(run())

    @staticmethod
    def _b64(value: Any) -> bytes:
        try:
            return base64.b64decode(str(value or ""), validate=True)
        except (binascii.Error, ValueError):
            raise ControlError("data_b64 is not valid base64") from None

    async def _c_messages(self, request: web.Request) -> web.Response:
        async def run() -> Any:
            chat_id = self._int_arg(request.match_info["chat_id"], "chat_id")
            q = request.query
            return self.chat_messages(
                chat_id,
                include_user=q.get("include_user") in ("1", "true"),
                include_deleted=q.get("include_deleted") in ("1", "true"),
            )

        return await self._guard(run())

    async def _c_events(self, request: web.Request) -> web.Response:
        async def run() -> Any:
            chat_id = self._int_arg(request.match_info["chat_id"], "chat_id")
            after = self._int_arg(request.query.get("after", "0"), "after")
            timeout = min(float(request.query.get("timeout", "0")), 120.0)
            return await self.wait_bot_events(chat_id, after, timeout)

        return await self._guard(run())

    async def _c_callback(self, request: web.Request) -> web.Response:
        async def run() -> Any:
            query = self.callbacks.get(request.match_info["query_id"])
            if query is None:
                raise ControlError("unknown callback query", 404)
            return query

        return await self._guard(run())

    async def _c_file(self, request: web.Request) -> web.Response:
        try:
            data = self.file_bytes(request.match_info["file_id"])
        except ControlError as error:
            return web.json_response({"error": str(error)}, status=error.status)
        return web.Response(body=data, content_type="application/octet-stream")

    async def _c_log(self, request: web.Request) -> web.Response:
        method = request.query.get("method")
        calls = [c for c in self.calls if method is None or c["method"].lower() == method.lower()]
        return self._ok(calls)

    async def _c_stats(self, request: web.Request) -> web.Response:
        return self._ok(self.stats())

    async def _c_transcript(self, request: web.Request) -> web.Response:
        chat = request.query.get("chat_id")
        return self._ok(self.transcript(int(chat) if chat else None))

    async def _c_updates(self, request: web.Request) -> web.Response:
        return self._ok(self.pending_updates())

    async def _c_commands(self, request: web.Request) -> web.Response:
        return self._ok(
            [{"scope": json.loads(s), "language_code": lang, "commands": cmds}
             for (s, lang), cmds in self.commands.items()]
        )  # fmt: skip

    async def _c_flood(self, request: web.Request) -> web.Response:
        async def run() -> Any:
            b = await self._body(request)
            if not b or b.get("enabled") is False:
                self.set_flood(None)
            else:
                self.set_flood(
                    FloodLimits(
                        global_per_second=float(b.get("global_per_second", 30)),
                        per_chat_per_second=float(b.get("per_chat_per_second", 1)),
                    )
                )
            return {"flood": None if self.flood is None else vars(self.flood)}

        return await self._guard(run())

    async def _c_faults(self, request: web.Request) -> web.Response:
        async def run() -> Any:
            b = await self._body(request)
            methods = b.get("methods")
            if b.get("retry_after") is not None:
                self.faults.force_retry_after(int(b["retry_after"]), methods=methods)
            else:
                try:
                    self.faults.add(
                        b.get("mode", "502"),
                        count=b.get("count", 1),
                        methods=methods,
                        duration=b.get("duration"),
                        probability=float(b.get("probability", 1.0)),
                        seed=b.get("seed"),
                    )
                except ValueError as error:
                    raise ControlError(str(error)) from None
            return {"rules": [r.describe() for r in self.faults.rules]}

        return await self._guard(run())

    async def _c_clear_faults(self, request: web.Request) -> web.Response:
        self.faults.clear()
        return self._ok({"rules": []})

    async def _c_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return self._ok({"reset": True})

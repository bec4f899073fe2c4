"""The Bot API endpoint: token check, injected faults, flood control, the method table, the log."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from emulator.limits import FaultInjector, FloodGate
from emulator.params import FilePart, dumps, read_request, summary
from emulator.state import ApiError, Json, bad_request
from emulator.world import World

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

Method = Callable[[dict[str, Any], dict[str, FilePart]], Awaitable[Any]]


_FAULT_TEXTS = {
    400: "Bad Request: message can't be deleted for everyone",
    500: "Internal Server Error",
}


class MethodGroup:
    """A set of Bot API methods; `_m_<lowercased name>` implements a method."""

    def methods(self) -> dict[str, Method]:
        return {name[3:]: getattr(self, name) for name in dir(self) if name.startswith("_m_")}


class BotApi:
    """Serves /bot<token>/<method> and /file/bot<token>/<path> over the shared world."""

    def __init__(self, world: World, faults: FaultInjector) -> None:
        self.world = world
        self.faults = faults
        self.flood_gate: FloodGate | None = None
        self._methods: dict[str, Method] = {}

    def register(self, group: MethodGroup) -> None:
        self._methods.update(group.methods())

    def add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self.handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self.handle_file)

    @staticmethod
    def _respond(status: int, body: Json) -> web.Response:
        return web.json_response(body, status=status, dumps=dumps)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        method = request.match_info["method"]
        if self.world.token is not None and token != self.world.token:
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
                text = _FAULT_TEXTS.get(code, "Bad Gateway")
                error = ApiError(code, text)
            self._log(method, params, error.code, error.description)
            return self._respond(error.code, error.payload())
        status, body = await self.call(method, params, files)
        if fault is not None:
            return self._drop(request)
        return self._respond(status, body)

    def _drop(self, request: web.Request) -> web.StreamResponse:
        self.world.counters["dropped"] += 1
        if request.transport is not None:
            request.transport.close()
        return web.Response(status=500)

    def _too_many(self, retry_after: int) -> ApiError:
        self.world.counters["errors_429"] += 1
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
            if method.lower() in FLOOD_METHODS and self.flood_gate is not None:
                try:
                    chat: int | None = int(params.get("chat_id", ""))
                except (TypeError, ValueError):
                    chat = None
                retry_after = self.flood_gate.check(chat)
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
        counters = self.world.counters
        counters["calls"] += 1
        chat_id: Any = params.get("chat_id")
        with contextlib.suppress(TypeError, ValueError):
            chat_id = int(chat_id) if chat_id is not None else None
        entry: Json = {
            "seq": counters["calls"],
            "time": round(self.world.clock.now(), 3),
            "method": method,
            "chat_id": chat_id,
            "params": summary(params),
            "outcome": outcome,
            "description": description,
        }
        if isinstance(result, dict) and "message_id" in result:
            entry["message_id"] = result["message_id"]
        self.world.calls.append(entry)

    async def handle_file(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        if self.world.token is not None and token != self.world.token:
            return self._respond(
                401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
        path = request.match_info["path"]
        for record in self.world.files.values():
            if record.file_path == path:
                return web.Response(body=record.data, content_type="application/octet-stream")
        return self._respond(404, {"ok": False, "error_code": 404, "description": "Not Found"})

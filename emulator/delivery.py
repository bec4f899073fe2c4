"""Update delivery: the getUpdates long poll, and webhook delivery with its Bot API methods."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientError, ClientSession, MultipartReader

from emulator.bot_api import MethodGroup
from emulator.params import FilePart, dumps, opt_bool, opt_int, opt_json, opt_str, read_multipart
from emulator.state import ApiError, Json, bad_request
from emulator.world import DEFAULT_UPDATE_TYPES, World

_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

Call = Callable[[str, dict[str, Any], dict[str, FilePart]], Awaitable[tuple[int, Json]]]


@dataclass
class Webhook:
    url: str
    secret_token: str | None
    last_error_date: int | None = None
    last_error_message: str | None = None


class UpdateDelivery(MethodGroup):
    """Hands the world's queued updates to the bot; `call` runs a method a webhook reply holds."""

    def __init__(self, world: World, call: Call) -> None:
        self.world = world
        self._call = call
        self.webhook: Webhook | None = None
        self.http: ClientSession | None = None
        self._webhook_task: asyncio.Task[None] | None = None

    async def _m_getupdates(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        world = self.world
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = opt_int(p, "offset")
        limit = min(max(opt_int(p, "limit") or 100, 1), 100)
        timeout = max(opt_int(p, "timeout") or 0, 0)
        allowed = opt_json(p, "allowed_updates")
        if allowed is not None:
            world.allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        self.confirm(offset)
        world.poll_token += 1
        mine = world.poll_token
        world.notify()  # an older poll still waiting must give way
        deadline = time.monotonic() + timeout
        while True:
            if world.poll_token != mine:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if world.updates or time.monotonic() >= deadline:
                batch = world.updates[:limit]
                world.counters["updates_returned"] += len(batch)
                return batch
            await world.wait_change(deadline)

    def confirm(self, offset: int | None) -> None:
        """Forget the updates before `offset`, as getUpdates does."""
        if offset is None:
            return
        if offset < 0:
            self.world.updates = self.world.updates[offset:]
        else:
            self.world.updates = [u for u in self.world.updates if u["update_id"] >= offset]

    async def _m_setwebhook(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        world = self.world
        url = opt_str(p, "url")
        if opt_bool(p, "drop_pending_updates"):
            world.updates.clear()
        allowed = opt_json(p, "allowed_updates")
        if allowed is not None:
            world.allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        self.stop_webhook()
        if url is None:
            self.webhook = None
            return True
        if not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = opt_str(p, "secret_token")
        if secret is not None and not _SECRET_RE.match(secret):
            raise bad_request("secret token contains unallowed characters")
        self.webhook = Webhook(url=url, secret_token=secret)
        self._webhook_task = asyncio.create_task(self._webhook_loop(self.webhook))
        world.poll_token += 1
        world.notify()
        return True

    async def _m_deletewebhook(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        self.stop_webhook()
        self.webhook = None
        if opt_bool(p, "drop_pending_updates"):
            self.world.updates.clear()
        return True

    async def _m_getwebhookinfo(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        info: Json = {
            "url": self.webhook.url if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.updates),
        }
        if self.webhook is not None:
            info["max_connections"] = 40
            if self.webhook.last_error_date is not None:
                info["last_error_date"] = self.webhook.last_error_date
                info["last_error_message"] = self.webhook.last_error_message
        if self.world.allowed_updates != DEFAULT_UPDATE_TYPES:
            info["allowed_updates"] = sorted(self.world.allowed_updates)
        return info

    def stop_webhook(self) -> None:
        task = self._webhook_task
        if task is not None:
            task.cancel()
        self._webhook_task = None

    async def _webhook_loop(self, hook: Webhook) -> None:
        world = self.world
        backoff = 0.05
        while self.webhook is hook:
            if not world.updates or self.http is None:
                await world.wait_change(time.monotonic() + 1.0)
                continue
            update = world.updates[0]
            headers = {"Content-Type": "application/json"}
            if hook.secret_token:
                headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
            try:
                async with self.http.post(hook.url, data=dumps(update), headers=headers) as resp:
                    if 200 <= resp.status < 300:
                        if update in world.updates:
                            world.updates.remove(update)
                        world.counters["webhook_delivered"] += 1
                        backoff = 0.05
                        await self._webhook_reply(resp)
                        continue
                    hook.last_error_message = (
                        f"Wrong response from the webhook: {resp.status} {resp.reason}"
                    )
            except (ClientError, TimeoutError, OSError) as error:
                hook.last_error_message = f"Connection failed: {type(error).__name__}"
            hook.last_error_date = world.clock.unix()
            world.counters["webhook_failures"] += 1
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 1.0)

    async def _webhook_reply(self, resp: Any) -> None:
        """Telegram runs a method the bot puts in its webhook response body."""
        params: dict[str, Any] = {}
        files: dict[str, FilePart] = {}
        ctype = resp.content_type or ""
        try:
            if ctype.startswith("multipart/"):
                await read_multipart(MultipartReader(resp.headers, resp.content), params, files)
            elif ctype == "application/json":
                body = await resp.json()
                if isinstance(body, dict):
                    params.update(body)
        except (ValueError, ClientError):
            return
        method = params.pop("method", None)
        if isinstance(method, str) and method:
            await self._call(method, params, files)

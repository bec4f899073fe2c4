"""Bot API methods besides messages and updates: the bot's profile and command menu, callback
answers, getFile and chat actions."""

from __future__ import annotations

import json
import re
from typing import Any

from emulator.bot_api import MethodGroup
from emulator.params import FilePart, chat_id_param, opt_bool, opt_json, opt_str
from emulator.state import bad_request
from emulator.validation import target
from emulator.world import World

MAX_CALLBACK_ANSWER = 200
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class BotMethods(MethodGroup):
    def __init__(self, world: World) -> None:
        self.world = world

    async def _m_getme(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        return {
            **self.world.bot_user_json(),
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

    @staticmethod
    def _commands_key(p: dict[str, Any]) -> tuple[str, str]:
        scope = opt_json(p, "scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), opt_str(p, "language_code") or ""

    async def _m_setmycommands(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        commands = opt_json(p, "commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            if not _COMMAND_RE.match(str(name).lstrip("/").lower()):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("command description must be non-empty")
        self.world.commands[self._commands_key(p)] = [
            {"command": str(c["command"]).lstrip("/").lower(), "description": c["description"]}
            for c in commands
        ]
        return True

    async def _m_getmycommands(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        return self.world.commands.get(self._commands_key(p), [])

    async def _m_deletemycommands(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        self.world.commands.pop(self._commands_key(p), None)
        return True

    async def _m_answercallbackquery(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        query_id = opt_str(p, "callback_query_id") or ""
        query = self.world.callbacks.get(query_id)
        if query is None or query["answered"]:
            raise bad_request(QUERY_INVALID)
        if len(opt_str(p, "text") or "") > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        answer = {
            "text": opt_str(p, "text"),
            "show_alert": opt_bool(p, "show_alert"),
            "url": opt_str(p, "url"),
        }
        query["answered"] = True
        query["answer"] = answer
        self.world.event("callback_answer", query["chat_id"], callback_query_id=query_id, **answer)
        return True

    async def _m_getfile(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        record = self.world.files.get(opt_str(p, "file_id") or "")
        if record is None:
            raise bad_request("invalid file_id")
        return record.file_json()

    async def _m_sendchataction(self, p: dict[str, Any], f: dict[str, FilePart]) -> Any:
        target(self.world, chat_id_param(p))
        if not opt_str(p, "action"):
            raise bad_request("action is empty")
        return True

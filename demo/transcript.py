"""A readable chat transcript from the emulator's event log: who said what, in order."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

Event = Mapping[str, Any]

WIDTH = 100


def _indent(text: str, limit: int) -> str:
    lines = text.strip().splitlines() or [""]
    if len(lines) > limit:
        lines = [*lines[:limit], f"… ({len(lines) - limit} more lines)"]
    wrapped = []
    for line in lines:
        wrapped.extend(textwrap.wrap(line, WIDTH - 6) or [""])
    return "\n".join("    " + line for line in wrapped)


def _buttons(message: Mapping[str, Any]) -> str:
    labels = [b["text"] for row in message.get("buttons", []) for b in row]
    return "    [" + "] [".join(labels) + "]" if labels else ""


def _media(message: Mapping[str, Any]) -> str:
    media = message.get("media") or {}
    name = media.get("file_name") or message.get("media_kind") or ""
    return f" 📎 {name}" if message.get("media_kind") else ""


def format_events(events: Sequence[Event], names: Mapping[int, str], *, limit: int = 12) -> str:
    """Render events; `names` maps chat ids to how people are called in the transcript."""
    latest: dict[tuple[int, int], Mapping[str, Any]] = {}
    out: list[str] = []
    for event in events:
        chat = int(event["chat_id"])
        who = names.get(chat, f"user {chat}")
        kind = event["kind"]
        message = event.get("message") or {}
        if kind in ("bot_message", "bot_edit"):
            latest[(chat, int(event["message_id"]))] = message
        if kind == "user_message":
            body = message.get("text") or ""
            out.append(f"{who}:{_media(message)} {body}".rstrip())
        elif kind == "bot_message":
            out.append(f"bot → {who}:{_media(message)}")
            out.append(_indent(message.get("text", ""), limit))
            if buttons := _buttons(message):
                out.append(buttons)
        elif kind == "bot_edit":
            out.append(f"bot → {who} (edits its message):")
            out.append(_indent(message.get("text", ""), limit))
            if buttons := _buttons(message):
                out.append(buttons)
        elif kind == "user_press":
            shown = latest.get((chat, int(event["message_id"]))) or {}
            label = next(
                (
                    b["text"]
                    for row in shown.get("buttons", [])
                    for b in row
                    if b.get("callback_data") == event.get("data")
                ),
                event.get("data"),
            )
            out.append(f"{who} presses [{label}]")
        elif kind == "callback_answer" and event.get("text"):
            out.append(f"bot → {who} (pop-up): {event['text']}")
        elif kind == "user_block":
            out.append(f"{who} blocks the bot")
    return "\n".join(out)

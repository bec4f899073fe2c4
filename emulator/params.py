"""How a Bot API request is read: query, JSON, urlencoded or multipart, and typed parameters."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, MultipartReader, web

from emulator.state import bad_request

dumps = functools.partial(json.dumps, ensure_ascii=False)


@dataclass
class FilePart:
    filename: str
    data: bytes
    content_type: str


async def read_multipart(
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
        await read_multipart(await request.multipart(), params, files)
    elif ctype == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
    elif ctype == "application/x-www-form-urlencoded":
        params.update((await request.post()).items())
    return params, files


def opt_str(params: dict[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    return str(value)


def opt_int(params: dict[str, Any], name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise bad_request(f'field "{name}" must be of type Integer')
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f'field "{name}" must be of type Integer') from None


def opt_bool(params: dict[str, Any], name: str) -> bool:
    value = params.get(name)
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1")


def opt_json(params: dict[str, Any], name: str) -> Any:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    return value


def chat_id_param(params: dict[str, Any], name: str = "chat_id") -> int:
    value = params.get(name)
    if value is None or value == "":
        raise bad_request(f"{name} is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        # "@username" addresses only public chats; private chats never match
        raise bad_request("chat not found") from None


def summary(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters shortened for the call log."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        text = value if isinstance(value, str) else dumps(value)
        out[key] = text if len(text) <= 80 else text[:77] + "..."
    return out

"""Splitting rendered HTML into Telegram-sized messages without breaking tags or entities."""

from __future__ import annotations

import re

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

_TOKEN = re.compile(r"(<[^>]+>)")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z][\w-]*)")


def _close(tag: str) -> str:
    match = _TAG_NAME.match(tag)
    return f"</{match.group(1)}>" if match else ""


def _pieces(text: str) -> list[str]:
    """Tags stay whole; text is cut after newlines and spaces, so entities stay whole."""
    out: list[str] = []
    for token in _TOKEN.split(text):
        if not token:
            continue
        if token.startswith("<"):
            out.append(token)
        else:
            out.extend(part for part in re.split(r"(?<=[\n ])", token) if part)
    return out


def split_html(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut HTML into chunks of at most `limit` characters, preferring line breaks.

    Tags open at a cut are closed at the end of one chunk and reopened at the start of the
    next. The raw length (tags included) is kept under the limit, which is stricter than
    Telegram's count of the text after parsing.
    """
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    open_tags: list[str] = []

    def closing() -> str:
        return "".join(_close(tag) for tag in reversed(open_tags))

    def flush() -> None:
        nonlocal current
        body = current.rstrip("\n ")
        if body.strip():
            chunks.append(body + closing())
        current = "".join(open_tags)

    for piece in _pieces(text):
        opens = piece.startswith("<") and not piece.startswith("</") and not piece.endswith("/>")
        # An opening tag also costs its closing tag, which a cut after it would have to add.
        budget = limit - len(closing()) - (len(_close(piece)) if opens else 0)
        if len(current) + len(piece) > budget and current.strip():
            cut = max(current.rfind("\n\n"), current.rfind("\n"))
            if cut > len(current) // 2 and not _TOKEN.search(current[cut:]):
                tail = current[cut + 1 :]
                current = current[:cut]
                flush()
                current += tail
            else:
                flush()
        while len(current) + len(piece) > limit - len(closing()):
            # A single word longer than a whole message: hard-cut it, avoiding entities.
            room = max(1, limit - len(closing()) - len(current))
            head = piece[:room]
            amp = head.rfind("&")
            if amp != -1 and ";" not in head[amp:]:
                head = head[:amp] or head
            current += head
            piece = piece[len(head) :]
            flush()
        current += piece
        if piece.startswith("</"):
            name = _close(piece)
            for index in range(len(open_tags) - 1, -1, -1):
                if _close(open_tags[index]) == name:
                    del open_tags[index]
                    break
        elif opens:
            open_tags.append(piece)
    if current.strip() and current != "".join(open_tags):
        chunks.append(current.rstrip("\n ") + closing())
    return chunks

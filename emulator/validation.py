"""What the Bot API refuses in a bot's request: the target chat, text and captions, keyboards,
input files."""

from __future__ import annotations

import mimetypes
from typing import Any

from emulator.html_entities import HtmlParseError, parse_html, strip_text, utf16_len
from emulator.params import FilePart, opt_json, opt_str
from emulator.state import ApiError, FileRecord, Json, SimUserRecord, bad_request, image_size
from emulator.world import World

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
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
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"RIFF", b"BM")


def target(world: World, chat_id: int) -> SimUserRecord:
    """The user a bot may write to in `chat_id`."""
    user = world.users.get(chat_id)
    if user is None:
        raise bad_request("chat not found")
    if user.blocked:
        raise ApiError(403, "Forbidden: bot was blocked by the user")
    if not user.started:
        raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
    return user


def formatted(
    world: World, params: dict[str, Any], field: str, entities_field: str, *, caption: bool
) -> tuple[str, list[Json], str | None]:
    """A text or caption as plain text, entities and the HTML it came from (if any)."""
    raw = params.get(field)
    text = "" if raw is None else str(raw)
    parse_mode = (opt_str(params, "parse_mode") or "").lower()
    html: str | None = None
    if parse_mode == "html":
        try:
            plain, entities = parse_html(text, strict_ampersand=world.strict_ampersand)
        except HtmlParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
        html = text
    elif parse_mode in ("", "markdown", "markdownv2"):
        # Markdown is not parsed here; the bot is expected to use HTML
        plain, entities = text, list(opt_json(params, entities_field) or [])
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


def reply_markup(params: dict[str, Any]) -> Json | None:
    markup = opt_json(params, "reply_markup")
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
                _check_button(button)
    elif "keyboard" in markup:
        if not isinstance(markup["keyboard"], list):
            raise bad_request(
                'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
            )
    elif not ("remove_keyboard" in markup or "force_reply" in markup):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


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


def input_file(
    world: World, params: dict[str, Any], files: dict[str, FilePart], field: str, kind: str
) -> FileRecord:
    """The file a bot sends: an upload (stored as a new file) or the file_id of a known one."""
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
            width, height = image_size(part.data)
            return world.new_file("photo", part.data, width=width, height=height)
        mime = part.content_type
        if mime in ("", "application/octet-stream"):
            mime = mimetypes.guess_type(part.filename)[0] or "application/octet-stream"
        return world.new_file(kind, part.data, file_name=part.filename, mime_type=mime)
    if not isinstance(value, str) or not value:
        raise bad_request(f"there is no {kind} in the request")
    if value.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")
    record = world.files.get(value)
    if record is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if record.kind != kind:
        raise bad_request("type of file mismatch")
    return record

"""The fuzzer: random updates fed to the real dispatcher; the emulator validates every reply.

`python -m tests.hardening.fuzz_long --updates 10000` is the long mode; test_fuzz.py runs the same
engine briefly under hypothesis.

Why in-process: the emulator's `call()` is the very code its HTTP endpoint runs (entity parsing,
lengths, 64-byte callback data, edit rules), so a session that calls it directly keeps all of
Telegram's validation and drops only the sockets and long polling. Updates are fed with
`Dispatcher.feed_update`, one at a time, so a failure points at the update that caused it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import shutil
import sys
import tempfile
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any, cast

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile

from bot.app import create_dispatcher
from core.clock import ManualClock
from core.models import PersonStatus
from demo.plan_data import plan_docx
from demo.registry_data import registry_csv
from demo.runtime import emulated_settings
from emulator.server import FilePart, TelegramEmulator
from reports.indicator_reader import default_indicators
from reports.plan_reader import read_plan
from reports.registry_reader import read_registry
from scheduler.sender import OutboxSender
from storage import consistency, plans, registry
from storage.database import Database, fetch_all, fetch_one

TOKEN = "4242424242:emulated-token"
COORDINATOR_ID = 900001
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
OVERSIZED = 25 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Member:
    """One of the cast: who they are to the bot, and their Telegram account."""

    name: str
    user_id: int
    person_id: int | None = None


# Person ids follow the demo registry: 1 is КП «Міськводоканал», 4 is Ліцей № 7, 2 is dismissed.
CAST = (
    Member("coordinator", COORDINATOR_ID),
    Member("person_a", 5001, 1),
    Member("person_b", 5004, 4),
    Member("stranger", 5999),
    Member("dismissed", 5002, 2),
)
NAMES = tuple(member.name for member in CAST)
BY_NAME = {member.name: member for member in CAST}

# The vocabulary. Texts aim at HTML escaping, Unicode handling and lengths.
SPECIAL_TEXTS = (
    "<",
    ">",
    "&",
    "&amp;",
    "<b>",
    "<b>жирний",
    "</i>",
    "<a href='x'>",
    '"><script>alert(1)</script>',
    "&#0;&#x110000;&lt",
    "1 < 2 & 3 > 2",
    "🙂👍🏽🇺🇦",
    "\u200b",
    "\u200d\u200c\ufeff",
    "a\u0301\u0301\u0301",
    "\U0001f600" * 3000,
    "я" * 10_000,
    "<" * 5000,
    "&" * 4097,
    "x\n" * 2000,
    "0",
    "7",
    "12",
    "-3",
    "1e3",
    "999999999",
    "99999999999999999999",
    "١٢",
    "   5   ",
    "\t",
    "Зроблено: перелік оновлено 10.03.",
)
COMMANDS = (
    "/start",
    "/help",
    "/report",
    "/enterprises",
    "/persons",
    "/person",
    "/invite",
    "/invites",
    "/unbind",
    "/plan",
    "/planorder",
    "/kinds",
    "/round",
    "/assign",
    "/status",
    "/summary",
    "/backup",
    "/remind",
    "/circular",
    "/circulars",
    "/promote",
    "/demote",
    "/cancel",
    "/nonexistent",
)
ARGUMENTS = ("", "1", "2", "4", "0", "-1", "999", "abc", "1 2", "<b>", "x" * 300, "🙂", "5 4")
EVENT_KINDS = (
    "diligent",
    "text",
    "command",
    "press",
    "press_old",
    "press_random",
    "press_truncated",
    "press_foreign",
    "sticker",
    "photo",
    "document",
    "document_empty",
    "document_oversized",
    "voice",
    "location",
    "edit",
    "forward",
    "empty",
    "wait",
)
DOCUMENT_NAMES = ("наказ.pdf", "plan.docx", "<b>.txt", "a" * 200 + ".pdf", "noext", "реєстр.csv")


@dataclass(frozen=True, slots=True)
class Event:
    """One thing a member does; `text` and `index` are read as the kind needs them."""

    member: str
    kind: str
    text: str = ""
    index: int = 0

    def describe(self) -> str:
        shown = self.text if len(self.text) <= 40 else f"{self.text[:37]}... ({len(self.text)})"
        return f"{self.member}:{self.kind}({shown!r}, {self.index})"


MEMBER_WEIGHTS = (2, 5, 4, 1, 1)


def kind_weights(member: str) -> list[int]:
    """Persons mostly press and type, so that questionnaires get deep; the coordinator mostly
    commands, and rarely enough presses that a round is not closed in the first minute."""
    busy = (
        {"diligent": 16, "press": 8, "text": 6}
        if member.startswith("person")
        else {"command": 6, "diligent": 0}
    )
    return [busy.get(kind, 1) for kind in EVENT_KINDS]


def random_event(rng: random.Random) -> Event:
    """An event drawn like the hypothesis strategy draws it, for the long mode."""
    member = rng.choices(NAMES, weights=MEMBER_WEIGHTS)[0]
    kind = rng.choices(EVENT_KINDS, weights=kind_weights(member))[0]
    text = ""
    if kind in ("text", "edit", "forward", "photo", "document"):
        if rng.random() < 0.5:
            text = rng.choice(SPECIAL_TEXTS)
        else:
            alphabet = "<>&\"'/ab\u044f\u0456\u200b🙂0123456789 \n"
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
    elif kind == "command":
        text = f"{rng.choice(COMMANDS)} {rng.choice(ARGUMENTS)}".strip()
    elif kind == "press_random":
        text = "".join(rng.choice("q1:abcdefghinoprstvx0123456789_-") for _ in range(20))
    return Event(member, kind, text, rng.randint(0, 1000))


@dataclass
class Failure:
    """A broken invariant: which event caused it and what went wrong."""

    event: str
    problem: str


@dataclass
class Outcome:
    updates: int = 0
    events: int = 0
    failures: list[Failure] = field(default_factory=list)
    reached: dict[str, int] = field(default_factory=dict)


class EmulatorSession(BaseSession):
    """aiogram's session, answered by the emulator in this process instead of over HTTP."""

    def __init__(self, emulator: TelegramEmulator) -> None:
        super().__init__()
        self.emulator = emulator

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - BaseSession's signature
    ) -> TelegramType:
        files: dict[str, InputFile] = {}
        params: dict[str, Any] = {}
        # The same preparation as AiohttpSession.build_form_data, minus the multipart encoding.
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if prepared:
                # Over HTTP an enum is sent as its value; here it would arrive as the member.
                params[key] = prepared.value if isinstance(prepared, Enum) else prepared
        parts = {}
        for key, file in files.items():
            data = b"".join([chunk async for chunk in file.read(bot)])
            parts[key] = FilePart(file.filename or key, data, "application/octet-stream")
        status, body = await self.emulator.call(method.__api_method__, params, parts)
        response = self.check_response(
            bot=bot, method=method, status_code=status, content=json.dumps(body)
        )
        return cast(TelegramType, response.result)

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 - BaseSession's signature
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        path = url.split(TOKEN + "/", 1)[-1]
        for record in self.emulator.files.values():
            if record.file_path == path:
                yield record.data
                return
        raise FileNotFoundError(path)

    async def close(self) -> None:
        return None


class ErrorCounter(logging.Handler):
    """Counts errors logged while handling updates: the errors router logs every exception."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def build_template(directory: Path) -> Path:
    """A database with the demo registry and plan, and three bound persons (one dismissed);
    each fuzz run starts from a copy, so setting up costs a file copy."""
    path = directory / "template.sqlite3"
    db = await Database.open(path)
    now = START
    try:
        async with db.transaction() as conn:
            sheet = read_registry("registry.csv", registry_csv())
            await registry.import_sheet(conn, sheet, actor_id=None, now=now)
            draft = read_plan("plan.docx", plan_docx(), default_title="План")
            await plans.save_plan(
                conn,
                draft,
                years=(2026, 2027),
                indicators=default_indicators()[:3],
                source_name="plan.docx",
                actor_id=None,
                now=now,
            )
            for member in CAST:
                if member.person_id is None:
                    continue
                person = await registry.get_person(conn, member.person_id)
                assert person is not None
                person = await registry.bind_person(conn, person, member.user_id, now=now)
                if member.name == "dismissed":
                    await registry.set_person_status(
                        conn, person, PersonStatus.DISMISSED, actor_id=None, now=now
                    )
    finally:
        await db.close()
    return path


@dataclass
class FuzzBot:
    """The real dispatcher on a copy of the template DB, and an emulator holding the chats."""

    emulator: TelegramEmulator
    bot: Bot
    dispatcher: Dispatcher
    db: Database
    clock: ManualClock
    sender: OutboxSender
    errors: ErrorCounter
    outcome: Outcome = field(default_factory=Outcome)

    async def feed_pending(self, event: Event, mutate: Callable[[dict[str, Any]], None]) -> None:
        pending = self.emulator.pending_updates()
        self.emulator._confirm(pending[-1]["update_id"] + 1 if pending else None)
        for raw in pending:
            mutate(raw)
            self.outcome.updates += 1
            try:
                await self.dispatcher.feed_raw_update(self.bot, raw)
            except Exception as error:
                self.fail(event, f"unhandled {type(error).__name__}: {error}")

    async def open_round(self) -> None:
        """The coordinator opens the quarter's round in chat; persons get their invitations."""
        event = Event("coordinator", "command", "/round")
        await self.play(event)
        [draft] = self.bot_messages(COORDINATOR_ID)[:1]
        buttons = [
            b["callback_data"]
            for row in draft["markup"].get("inline_keyboard", [])
            for b in row
            if b.get("text") == "Відкрити збір"
        ]
        self.emulator.user_presses(COORDINATOR_ID, draft["id"], callback_data=buttons[0])
        await self.feed_pending(event, lambda raw: None)
        await self.drain(event)
        self.outcome = Outcome(failures=self.outcome.failures)

    def fail(self, event: Event, problem: str) -> None:
        self.outcome.failures.append(Failure(event.describe(), problem))

    def bot_messages(self, user_id: int) -> list[dict[str, Any]]:
        """The user's chat, newest first: bot messages that still carry buttons."""
        chat = self.emulator.messages.get(user_id, {})
        found = []
        for message_id in sorted(chat, reverse=True):
            stored = chat[message_id]
            if stored.from_bot and not stored.deleted:
                found.append({"id": message_id, "markup": stored.reply_markup or {}})
        return found

    def buttons(self, user_id: int, *, latest_only: bool) -> list[tuple[int, str]]:
        result = []
        for message in self.bot_messages(user_id):
            for row in message["markup"].get("inline_keyboard", []):
                for button in row:
                    if "callback_data" in button:
                        result.append((message["id"], button["callback_data"]))
            if latest_only and result:
                break
        return result

    def diligent_step(self, user: int) -> tuple[str, str | None]:
        """What a person who means to hand in would do next: pick a status, write the
        narrative, give a number, submit. Returns (text to send, or button data to press)."""
        buttons = self.buttons(user, latest_only=True)
        for prefix in ("q1:st:", "q1:sb:", "q1:go:"):
            found = [data for _, data in buttons if data.startswith(prefix)]
            if found:
                return "", found[len(found) // 2 if prefix == "q1:st:" else 0]
        messages = self.bot_messages(user)
        latest = self.emulator.messages[user][messages[0]["id"]] if messages else None
        if latest is not None and (latest.text or "").startswith("Показник"):
            return "5", None
        if latest is not None and "/report" in (latest.text or ""):
            return "/report", None
        return "Зроблено за планом, протокол № 3.", None

    async def play(self, event: Event) -> None:
        """Perform one event, feed what it produced, then check the replies it caused."""
        calls_before = len(self.emulator.calls)
        member = BY_NAME[event.member]
        user = member.user_id
        em = self.emulator
        mutate: Callable[[dict[str, Any]], None] = lambda raw: None  # noqa: E731
        query_id: str | None = None
        self.outcome.events += 1
        kind = event.kind
        if kind == "wait":
            # Mostly minutes or hours; now and then days, so deadlines pass within a run.
            if event.index >= 990:
                self.clock.advance(timedelta(days=event.index - 989))
            else:
                self.clock.advance(timedelta(minutes=1 + event.index % 180))
            await self.drain(event)
            return
        if kind == "diligent":
            text, data = self.diligent_step(user)
            if data is not None:
                message_id = next(m for m, d in self.buttons(user, latest_only=True) if d == data)
                query_id = str(
                    em.user_presses(user, message_id, callback_data=data)["callback_query_id"]
                )
            else:
                em.user_sends_text(user, text)
        elif kind in ("text", "command"):
            em.user_sends_text(user, event.text if event.text.strip() else "?")
        elif kind == "empty":
            em.user_sends_text(user, "x")
            mutate = _set_text("" if event.index % 2 else " \u200b ")
        elif kind == "forward":
            em.user_sends_text(user, event.text if event.text.strip() else "переслане")
            mutate = _forwarded
        elif kind == "sticker":
            em.user_sends_sticker(user)
        elif kind == "voice":
            em.user_sends_voice(user)
        elif kind == "location":
            em.user_sends_location(user, 50.45, 30.52)
        elif kind == "photo":
            em.user_sends_photo(user, caption=event.text[:1024])
        elif kind.startswith("document"):
            name = DOCUMENT_NAMES[event.index % len(DOCUMENT_NAMES)]
            data = b"" if kind == "document_empty" else b"%PDF-1.4 fuzz"
            em.user_sends_document(user, name, data, caption=event.text[:1024])
            if kind == "document_oversized":
                mutate = _oversized
        elif kind == "edit":
            own = [i for i, m in em.messages.get(user, {}).items() if not m.from_bot]
            if not own:
                return
            em.user_edits(user, own[event.index % len(own)], event.text or "змінено")
        else:
            query_id = self.press(event, user)
            if query_id is None:
                return
        await self.feed_pending(event, mutate)
        await self.drain(event)
        self.check_calls(event, calls_before)
        if query_id is not None and not em.callbacks[query_id]["answered"]:
            self.fail(event, "button press left unanswered (the client spins)")

    def press(self, event: Event, user: int) -> str | None:
        messages = self.bot_messages(user)
        if not messages:
            return None
        if event.kind == "press":
            buttons = self.buttons(user, latest_only=True)
        else:
            buttons = self.buttons(user, latest_only=False)
        if event.kind == "press_foreign":
            others = [m.user_id for m in CAST if m.user_id != user]
            buttons = self.buttons(others[event.index % len(others)], latest_only=False)
        message_id = messages[0]["id"]
        if event.kind == "press_random":
            data = event.text[:64] or "x"
        elif not buttons:
            return None
        else:
            message_id, data = buttons[event.index % len(buttons)]
            if event.kind == "press_foreign":
                message_id = messages[0]["id"]
            if event.kind == "press_truncated":
                data = data[: max(1, event.index % max(1, len(data)))]
        pressed = self.emulator.user_presses(user, message_id, callback_data=data)
        return str(pressed["callback_query_id"])

    async def drain(self, event: Event) -> None:
        report = await self.sender.drain(0.5)
        if report.failed:
            self.fail(event, f"outbox: {report.failed} message(s) failed")

    def check_calls(self, event: Event, since: int) -> None:
        for call in self.emulator.calls[since:]:
            if call["outcome"] != "ok":
                self.fail(
                    event,
                    f"{call['method']} -> {call['outcome']} {call['description']}"
                    f" params={call['params']}",
                )

    def check_errors(self, event: Event) -> None:
        for record in self.errors.records:
            self.fail(event, f"logged error: {record.getMessage()}")
        self.errors.records.clear()

    async def measure_depth(self) -> None:
        """How far the random walk got: report states, answers, submissions, rounds."""
        queries = {
            "rounds": "SELECT COUNT(*) FROM rounds",
            "answers": "SELECT COUNT(*) FROM answers",
            "submissions": "SELECT COUNT(*) FROM report_versions",
            "evidence": "SELECT COUNT(*) FROM attachments",
            "outbox_sent": "SELECT COUNT(*) FROM outbox WHERE state = 'sent'",
        }
        async with self.db.reading() as conn:
            for name, sql in queries.items():
                row = await fetch_one(conn, sql)
                self.outcome.reached[name] = int(row[0]) if row else 0
            for row in await fetch_all(conn, "SELECT state, COUNT(*) FROM reports GROUP BY 1"):
                self.outcome.reached[f"reports_{row[0]}"] = int(row[1])

    async def check_database(self) -> None:
        async with self.db.reading() as conn:
            problems = await consistency.check(conn)
        for problem in problems:
            self.fail(Event("database", "check"), f"{problem.check}: {problem.detail}")


def _set_text(text: str) -> Callable[[dict[str, Any]], None]:
    def mutate(raw: dict[str, Any]) -> None:
        message = raw.get("message")
        if message is not None:
            message["text"] = text
            message.pop("entities", None)

    return mutate


def _forwarded(raw: dict[str, Any]) -> None:
    message = raw.get("message")
    if message is not None:
        message["forward_origin"] = {
            "type": "user",
            "date": message["date"] - 3600,
            "sender_user": {"id": 31337, "is_bot": False, "first_name": "Хтось"},
        }


def _oversized(raw: dict[str, Any]) -> None:
    message = raw.get("message")
    if message is not None and "document" in message:
        message["document"]["file_size"] = OVERSIZED


@asynccontextmanager
async def fuzz_bot(template: Path, directory: Path) -> AsyncIterator[FuzzBot]:
    """A fresh bot on a copy of the template; the cast's chats exist and have pressed Start."""
    path = directory / "bot.sqlite3"
    shutil.copyfile(template, path)
    emulator = TelegramEmulator(token=TOKEN)
    for member in CAST:
        emulator.create_user(member.user_id, member.name, started=True)
    settings = emulated_settings("http://emulator.invalid", path, TOKEN, [COORDINATOR_ID])
    clock = ManualClock(START)
    db = await Database.open(path)
    bot = Bot(
        TOKEN,
        session=EmulatorSession(emulator),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    dispatcher = create_dispatcher(
        db=db, clock=clock, settings=settings, bot_username=emulator.bot_username
    )
    sender = OutboxSender(
        db,
        bot,
        clock,
        coordinator_ids=frozenset({COORDINATOR_ID}),
        per_chat_interval=0,
        rate_per_second=10_000,
    )
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    try:
        fuzz = FuzzBot(emulator, bot, dispatcher, db, clock, sender, errors)
        await fuzz.open_round()
        yield fuzz
    finally:
        logging.getLogger().removeHandler(errors)
        await db.close()


async def run_events(template: Path, directory: Path, events: Sequence[Event]) -> Outcome:
    """Play the events on a fresh bot; check the database after the last one."""
    async with fuzz_bot(template, directory) as fuzz:
        for event in events:
            await fuzz.play(event)
            fuzz.check_errors(event)
        await fuzz.check_database()
        return fuzz.outcome


async def run_long(
    updates: int, seed: int, directory: Path, *, episode: int = 1000
) -> tuple[Outcome, float]:
    """Episodes of `episode` events, each on a fresh bot (a random /unbind 1 would otherwise
    leave person A a stranger for the rest of the run), until `updates` updates were fed."""
    rng = random.Random(seed)
    template = await build_template(directory)
    started = time.perf_counter()
    total = Outcome()
    number = 0
    while total.updates < updates:
        number += 1
        workdir = directory / f"episode-{number}"
        workdir.mkdir()
        async with fuzz_bot(template, workdir) as fuzz:
            while fuzz.outcome.updates < updates - total.updates and fuzz.outcome.events < episode:
                event = random_event(rng)
                await fuzz.play(event)
                fuzz.check_errors(event)
            await fuzz.check_database()
            await fuzz.measure_depth()
            outcome = fuzz.outcome
        shutil.rmtree(workdir)
        total.updates += outcome.updates
        total.events += outcome.events
        total.failures += outcome.failures
        for name, value in outcome.reached.items():
            total.reached[name] = total.reached.get(name, 0) + value
    total.reached["episodes"] = number
    return total, time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20260302)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    with tempfile.TemporaryDirectory() as directory:
        outcome, seconds = asyncio.run(run_long(args.updates, args.seed, Path(directory)))
    print(
        f"updates={outcome.updates} events={outcome.events} seconds={seconds:.1f}"
        f" failures={len(outcome.failures)}"
    )
    print("reached: " + ", ".join(f"{k}={v}" for k, v in sorted(outcome.reached.items())))
    seen: set[str] = set()
    for failure in outcome.failures:
        if failure.problem not in seen:
            seen.add(failure.problem)
            print(f"  {failure.event}: {failure.problem}")
    return 1 if outcome.failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Configuration B3 of the update benchmark: A's own update stream and A's own Bot API calls,
with one committed write per update and no reads.

It is the floor under A: what any bot that receives these updates, commits an answer and
sends these screens pays (parsing, dispatch, one transaction, serialising the requests and
parsing Telegram's answers), without the questionnaire's logic. The requests are those A made
for the same update, recorded during A's warm-up and sent again as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.methods import TelegramMethod
from aiogram.types import CallbackQuery, Message

from bench.fake_telegram import FakeSession, fake_bot
from storage.database import Database


@dataclass
class Recorded:
    """One update of A's stream and the requests A made while handling it."""

    raw: dict[str, Any]
    requests: list[TelegramMethod[Any]] = field(default_factory=list)


@dataclass
class Replay:
    """B3: a plain Dispatcher whose handlers commit one row and send A's recorded requests."""

    dispatcher: Dispatcher
    bot: Bot
    session: FakeSession
    db: Database
    script: list[Recorded]
    current: int = 0

    @classmethod
    async def build(cls, directory: Path, script: list[Recorded]) -> Replay:
        db = await Database.open(directory / "replay.sqlite3", migrate=False)
        async with db.transaction() as conn:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS answers (k INTEGER PRIMARY KEY, text TEXT NOT NULL)"
            )
        bot, session = fake_bot()
        replay = cls(Dispatcher(), bot, session, db, script)
        router = Router(name="replay")

        async def answered(k: int, text: str) -> None:
            """Commit the answer, then send what A sent for this update."""
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT OR REPLACE INTO answers (k, text) VALUES (?, ?)", (k, text)
                )
            for request in replay.script[k].requests:
                await bot(request)

        async def on_button(query: CallbackQuery) -> None:
            await answered(replay.current, query.data or "")

        async def on_text(message: Message) -> None:
            await answered(replay.current, message.text or "")

        router.callback_query.register(on_button)
        router.message.register(on_text)
        replay.dispatcher.include_router(router)
        return replay

    def update(self, k: int) -> dict[str, Any]:
        self.current = k % len(self.script)
        return self.script[self.current].raw

    def after(self, k: int) -> None:
        return None

    async def between(self, k: int) -> None:
        return None

    async def close(self) -> None:
        await self.db.close()

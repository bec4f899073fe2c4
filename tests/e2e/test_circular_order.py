"""A message that follows a command at once is read in the state the command left."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from aiogram.types import Chat, Message, MessageEntity, Update, User

from storage import circulars
from tests.e2e.harness import COORDINATOR_ID, World


def _message(message_id: int, text: str) -> Message:
    user = User(id=COORDINATOR_ID, is_bot=False, first_name="Координатор")
    entities = [MessageEntity(type="bot_command", offset=0, length=len(text))]
    return Message(
        message_id=message_id,
        date=datetime.now(UTC),
        chat=Chat(id=COORDINATOR_ID, type="private"),
        from_user=user,
        text=text,
        entities=entities if text.startswith("/") else None,
    )


async def test_content_sent_right_after_circular_becomes_the_draft(zvit: World) -> None:
    """Quarter's edges, case 16: the text that arrives with /circular in one batch is read
    after the command has set the state, not with the state from before it."""
    await zvit.seed_registry()
    coordinator = await zvit.coordinator()
    await coordinator.send("/start")  # the chat exists, so the bot may write to it
    await coordinator.next_message()
    assert zvit.bot is not None
    app = zvit.bot.app
    command = Update(update_id=10**9, message=_message(900, "/circular"))
    content = Update(
        update_id=10**9 + 1, message=_message(901, "Оголошення: навчання 12 березня о 10:00.")
    )
    # Both updates are handled concurrently, as aiogram does with one getUpdates batch.
    await asyncio.gather(
        app.dispatcher.feed_update(app.bot, command),
        app.dispatcher.feed_update(app.bot, content),
    )

    asked = await coordinator.next_message()
    assert "Надішліть одним повідомленням" in asked.text
    saved = await coordinator.next_message()
    assert "чернетку збережено (текст)" in saved.text, saved.text
    async with zvit.db.reading() as conn:
        circular = await circulars.get(conn, 1)
    assert circular is not None and circular.text_html.startswith("Оголошення: навчання")

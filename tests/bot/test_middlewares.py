import asyncio
from typing import Any

from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Chat, User

from bot.middlewares import ActorMiddleware, OneUpdatePerUser
from core.models import Actor, Role


async def test_updates_of_one_user_run_one_at_a_time_and_others_in_parallel() -> None:
    isolation = OneUpdatePerUser()
    running: dict[int, int] = {}
    overlap: list[int] = []

    async def handler(event: Any, data: dict[str, Any]) -> None:
        user = data["event_from_user"].id
        running[user] = running.get(user, 0) + 1
        overlap.append(sum(running.values()))
        assert running[user] == 1, "two updates of one user ran at once"
        await asyncio.sleep(0.01)
        running[user] -= 1

    async def update(user_id: int) -> None:
        async with isolation.lock(StorageKey(bot_id=1, chat_id=user_id, user_id=user_id)):
            user = User(id=user_id, is_bot=False, first_name="Тест")
            await handler(None, {"event_from_user": user})

    await asyncio.gather(*(update(u) for u in (1, 1, 1, 2, 2)))
    assert max(overlap) == 2  # users 1 and 2 did overlap with each other
    assert isolation._locks == {} and isolation._users == {}


async def test_updates_from_groups_are_ignored_and_private_ones_go_through() -> None:
    class Known(ActorMiddleware):
        async def resolve(self, telegram_id: int, *, wrote: bool = True) -> Actor:
            return Actor(Role.COORDINATOR, telegram_id)

    middleware = Known(None, {7}, None)  # type: ignore[arg-type]
    seen: list[Actor] = []

    async def handler(event: Any, data: dict[str, Any]) -> None:
        seen.append(data["actor"])

    coordinator = User(id=7, is_bot=False, first_name="Тест")
    for kind in ("group", "supergroup", "channel", "private"):
        data = {
            "event_from_user": coordinator,
            "event_chat": Chat(id=-100 if kind != "private" else 7, type=kind),
        }
        await middleware(handler, object(), data)  # type: ignore[arg-type]
    assert seen == [Actor(Role.COORDINATOR, 7)]  # only the private chat reached a handler

import asyncio
from typing import Any

from aiogram.types import User

from bot.middlewares import OneUpdatePerUserMiddleware


async def test_updates_of_one_user_run_one_at_a_time_and_others_in_parallel() -> None:
    middleware = OneUpdatePerUserMiddleware()
    running: dict[int, int] = {}
    overlap: list[int] = []

    async def handler(event: Any, data: dict[str, Any]) -> None:
        user = data["event_from_user"].id
        running[user] = running.get(user, 0) + 1
        overlap.append(sum(running.values()))
        assert running[user] == 1, "two updates of one user ran at once"
        await asyncio.sleep(0.01)
        running[user] -= 1

    def data(user_id: int) -> dict[str, Any]:
        return {"event_from_user": User(id=user_id, is_bot=False, first_name="Тест")}

    await asyncio.gather(*(middleware(handler, object(), data(u)) for u in (1, 1, 1, 2, 2)))  # type: ignore[arg-type]
    assert max(overlap) == 2  # users 1 and 2 did overlap with each other
    assert middleware._locks == {} and middleware._users == {}

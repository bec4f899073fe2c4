"""Blocking the bot: Telegram's my_chat_member news marks the person at once, and only them."""

from __future__ import annotations

import asyncio

from core.models import PersonStatus
from emulator.client import SimUser
from storage import audit, registry
from tests.e2e.harness import World

VODOKANAL_PERSON = 1
NAME = "Олена Петрівна Гнатюк"


async def person_trail(zvit: World) -> list[str]:
    async with zvit.db.reading() as conn:
        entries = await audit.entries(conn, entity="person", entity_id=VODOKANAL_PERSON)
    return [e.action for e in entries if e.action in ("person.unreachable", "person.reachable")]


async def unreachable(zvit: World) -> bool:
    async with zvit.db.reading() as conn:
        person = await registry.get_person(conn, VODOKANAL_PERSON)
    assert person is not None
    return person.unreachable


async def notices_about(coordinator: SimUser, name: str) -> list[str]:
    return [m.text for m in await coordinator.messages() if name in m.text]


async def test_blocking_marks_the_person_and_tells_the_coordinator_once_a_day(
    zvit: World,
) -> None:
    await zvit.seed_registry()
    coordinator = await zvit.coordinator()
    await coordinator.send("/start")
    await coordinator.next_message()
    olena = await zvit.bound_person(VODOKANAL_PERSON, 5001, "Олена")

    await olena.block()
    notice = await coordinator.next_message()
    assert NAME in notice.text and "заблокувала бота або ще не натиснула «Почати»" in notice.text
    assert await unreachable(zvit)
    assert await person_trail(zvit) == ["person.unreachable"]
    assert await olena.pending() == []  # nothing is sent into a blocked chat

    # Unblocking and pressing «Почати» makes her reachable; blocking again the same day is
    # recorded, but the coordinator is not told twice.
    await olena.unblock()
    await olena.send("/start")
    await olena.next_message()
    assert not await unreachable(zvit)
    await olena.block()
    async with asyncio.timeout(5):
        # The bot handles the update in its own task; the DB row is all there is to watch.
        while not await unreachable(zvit):  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    await zvit.settled()
    assert await person_trail(zvit) == [
        "person.unreachable",
        "person.reachable",
        "person.unreachable",
    ]
    assert len(await notices_about(coordinator, NAME)) == 1


async def test_a_stranger_or_a_dismissed_person_blocking_changes_nothing(zvit: World) -> None:
    await zvit.seed_registry()
    coordinator = await zvit.coordinator()
    await coordinator.send("/start")
    await coordinator.next_message()
    stranger = await zvit.user(7001, "Незнайомець")
    await stranger.send("/start")
    await stranger.next_message()
    olena = await zvit.bound_person(VODOKANAL_PERSON, 5001, "Олена")
    async with zvit.db.transaction() as conn:  # the registry re-imported with her dismissed
        person = await registry.get_person(conn, VODOKANAL_PERSON)
        assert person is not None
        await registry.set_person_status(
            conn, person, PersonStatus.DISMISSED, actor_id=None, now=zvit.clock.now()
        )

    natalia = await zvit.bound_person(4, 5004, "Наталія")

    await stranger.block()
    await olena.block()
    await natalia.block()  # the control: her notice comes after the two blocks were handled
    assert "Наталія Василівна Коваль" in (await coordinator.next_message()).text
    await zvit.settled()
    assert not await unreachable(zvit)
    assert await notices_about(coordinator, NAME) == []
    assert await notices_about(coordinator, "Незнайомець") == []

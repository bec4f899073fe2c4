"""Access hardening in chat: invite brute force locked out and reported, dismissal immediate,
and coordinators promoted and demoted by the settings' coordinators only."""

from __future__ import annotations

from datetime import timedelta

from core.models import PersonRole
from storage import audit, invites, outbox, registry
from tests.e2e.harness import COORDINATOR_ID, World, callback_answer

OLENA = (1, 5001, "Олена")  # person id, Telegram id, first name: КП «Міськводоканал»
BOHDAN = (2, 5002, "Богдан")  # КП «Вербівтепло»
LOCKED = "Забагато невдалих спроб"
STRANGER = "Доступ мають лише зареєстровані"


async def lockout_alerts(zvit: World) -> list[outbox.OutboxMessage]:
    async with zvit.db.reading() as conn:
        return await outbox.with_key_prefix(conn, "invite_lockout:")


async def guess(zvit: World, user_id: int, attempts: int) -> None:
    guesser = await zvit.user(user_id, "Вгадувач")
    for attempt in range(attempts):
        await guesser.send(f"/start WRONG{user_id}{attempt:04d}xxxxxxxxxx")
        await guesser.next_message()


async def test_a_guesser_is_locked_out_even_with_a_right_code_until_the_hour_passes(
    zvit: World,
) -> None:
    await zvit.seed_registry()
    good = await zvit.invite_code(OLENA[0])
    await guess(zvit, 5003, 5)
    guesser = zvit.users[5003]
    await guesser.send(f"/start {good}")
    assert LOCKED in (await guesser.next_message()).text
    zvit.clock.advance(timedelta(minutes=61))
    await guesser.send(f"/start {good}")
    assert "Олена Петрівна Гнатюк" in (await guesser.next_message()).text


async def test_the_coordinator_is_alerted_once_per_lockout_window(zvit: World) -> None:
    await zvit.seed_registry()
    coordinator = await zvit.coordinator()
    await coordinator.send("/help")  # a chat the bot may write to
    await coordinator.next_message()
    await guess(zvit, 5003, 4)
    assert await lockout_alerts(zvit) == []
    await guess(zvit, 5003, 6)  # the fifth failure locks; five more change nothing
    [alert] = await lockout_alerts(zvit)
    assert alert.chat_id == COORDINATOR_ID
    assert "5003" in alert.payload["text"] and "Підбір кодів" in alert.payload["text"]
    assert "Підбір кодів" in (await coordinator.next_message()).text
    zvit.clock.advance(timedelta(hours=2))
    await guess(zvit, 5003, 5)
    assert len(await lockout_alerts(zvit)) == 2  # a new window, a new alert


async def test_many_guessers_lock_nobody_else_out_and_alert_once(zvit: World) -> None:
    """Quarter's edges, case 11: 21 accounts × 5 wrong codes locked out a valid person."""
    await zvit.seed_registry()
    good = await zvit.invite_code(OLENA[0])
    async with zvit.db.transaction() as conn:
        for user_id in range(100):  # a hundred accounts with one failure each
            await invites.record_failure(conn, 7_000_000 + user_id, now=zvit.clock.now())
    await guess(zvit, 5003, 2)
    olena = await zvit.user(OLENA[1], OLENA[2])
    await olena.send(f"/start {good}")
    assert LOCKED not in (await olena.next_message()).text
    async with zvit.db.reading() as conn:
        assert await registry.person_by_telegram(conn, OLENA[1]) is not None
    keys = [alert.dedupe_key for alert in await lockout_alerts(zvit)]
    assert [key for key in keys if ":global:" in key] == [keys[0]]


async def test_a_person_dismissed_on_the_card_is_refused_at_the_very_next_update(
    zvit: World,
) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(*OLENA)
    await olena.send("/help")
    assert "Олена Петрівна Гнатюк" in (await olena.next_message()).text
    coordinator = await zvit.coordinator()
    await coordinator.send(f"/person {OLENA[0]}")
    card = await coordinator.next_message()
    query = await coordinator.press("Звільнена", card)
    assert "звільнена" in str((await callback_answer(coordinator, query))["text"])
    await olena.send("/help")
    refusal = await olena.next_message()
    assert "призупинено" in refusal.text and "звільнена" in refusal.text
    await olena.send("/report")
    assert "призупинено" in (await olena.next_message()).text


async def test_a_promoted_person_coordinates_and_a_demoted_one_no_longer_does(
    zvit: World,
) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(*OLENA)
    coordinator = await zvit.coordinator()
    await coordinator.send(f"/promote {OLENA[0]}")
    assert "тепер координатор" in (await coordinator.next_message()).text
    await olena.send("/enterprises")
    assert "Міськводоканал" in (await olena.next_message()).text
    await coordinator.send(f"/demote {OLENA[0]}")
    assert "більше не координатор" in (await coordinator.next_message()).text
    await olena.send("/enterprises")
    assert "лише працівникам відділу" in (await olena.next_message()).text
    async with zvit.db.reading() as conn:
        trail = await audit.entries(conn, entity="person", entity_id=OLENA[0])
        person = await registry.get_person(conn, OLENA[0])
    actions = [(entry.action, entry.actor_id) for entry in trail]
    assert ("person.promote", COORDINATOR_ID) in actions
    assert ("person.demote", COORDINATOR_ID) in actions
    assert person is not None and person.role is PersonRole.AUTHORIZED


async def test_only_coordinators_from_settings_may_promote(zvit: World) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(*OLENA)
    bohdan = await zvit.bound_person(*BOHDAN)
    coordinator = await zvit.coordinator()
    await coordinator.send(f"/promote {OLENA[0]}")
    await coordinator.next_message()
    await olena.send(f"/promote {BOHDAN[0]}")
    assert "визначені в налаштуваннях" in (await olena.next_message()).text
    await bohdan.send(f"/promote {BOHDAN[0]}")
    assert "лише працівникам відділу" in (await bohdan.next_message()).text
    stranger = await zvit.user(6666, "Незнайомець")
    await stranger.send(f"/promote {BOHDAN[0]}")
    assert STRANGER in (await stranger.next_message()).text
    async with zvit.db.reading() as conn:
        person = await registry.get_person(conn, BOHDAN[0])
    assert person is not None and person.role is PersonRole.AUTHORIZED


async def test_promote_explains_a_wrong_or_unknown_number(zvit: World) -> None:
    await zvit.seed_registry()
    coordinator = await zvit.coordinator()
    await coordinator.send("/promote Олена")
    assert "Вкажіть номер особи" in (await coordinator.next_message()).text
    await coordinator.send("/promote 999")
    assert "Особу не знайдено" in (await coordinator.next_message()).text
    await coordinator.send("/demote 1")
    assert "не має прав координатора" in (await coordinator.next_message()).text

from datetime import timedelta

from storage import registry
from tests.e2e.harness import World, callback_answer

VODOKANAL_PERSON = 1  # first row of the fictional registry: КП «Міськводоканал»


async def test_invite_binds_the_account_and_greets_with_the_enterprise(zvit: World) -> None:
    await zvit.seed_registry()
    olena = await zvit.user(5001, "Олена")
    await olena.send(f"/start {await zvit.invite_code(VODOKANAL_PERSON)}")
    greeting = await olena.next_message()
    assert "Олена Петрівна Гнатюк" in greeting.text
    assert "Комунальне підприємство «Міськводоканал»" in greeting.text
    assert "/report" in greeting.text
    async with zvit.db.reading() as conn:
        person = await registry.person_by_telegram(conn, 5001)
    assert person is not None and person.id == VODOKANAL_PERSON
    menus = await zvit.client.commands()
    assert any(m.get("scope", {}).get("chat_id") == 5001 for m in menus)


async def test_a_used_code_is_refused_to_someone_else(zvit: World) -> None:
    await zvit.seed_registry()
    code = await zvit.invite_code(VODOKANAL_PERSON)
    first = await zvit.user(5001, "Олена")
    await first.send(f"/start {code}")
    await first.next_message()
    intruder = await zvit.user(5002, "Хтось")
    await intruder.send(f"/start {code}")
    refusal = await intruder.next_message()
    assert "вже використано" in refusal.text
    async with zvit.db.reading() as conn:
        assert await registry.person_by_telegram(conn, 5002) is None


async def test_an_expired_code_is_refused(zvit: World) -> None:
    await zvit.seed_registry()
    code = await zvit.invite_code(VODOKANAL_PERSON)
    zvit.clock.advance(timedelta(days=15))
    user = await zvit.user(5001, "Олена")
    await user.send(f"/start {code}")
    assert "Строк дії цього запрошення минув" in (await user.next_message()).text


async def test_an_unknown_code_is_refused(zvit: World) -> None:
    await zvit.seed_registry()
    user = await zvit.user(5001, "Олена")
    await user.send("/start AAAAAAAAAAAAAAAAAAAAAA")
    assert "не знайдено" in (await user.next_message()).text


async def test_repeated_wrong_codes_are_rate_limited(zvit: World) -> None:
    await zvit.seed_registry()
    good = await zvit.invite_code(VODOKANAL_PERSON)
    guesser = await zvit.user(5003, "Вгадувач")
    for attempt in range(5):
        await guesser.send(f"/start WRONGCODE{attempt:02d}xxxxxxxxxxxx")
        await guesser.next_message()
    await guesser.send(f"/start {good}")  # even a right code waits out the lock
    assert "Забагато невдалих спроб" in (await guesser.next_message()).text
    async with zvit.db.reading() as conn:
        assert await registry.person_by_telegram(conn, 5003) is None


async def test_a_stranger_gets_one_polite_refusal_and_nothing_else(zvit: World) -> None:
    stranger = await zvit.user(6666, "Незнайомець")
    await stranger.send("/enterprises")
    refusal = await stranger.next_message()
    assert "Доступ мають лише зареєстровані" in refusal.text
    await stranger.send("Привіт")
    assert "Доступ мають лише зареєстровані" in (await stranger.next_message()).text
    assert await stranger.pending() == []
    assert [m.text for m in await stranger.messages()] == [refusal.text] * 2


async def test_a_person_cannot_use_coordinator_commands(zvit: World) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(VODOKANAL_PERSON, 5001, "Олена")
    for command in ("/enterprises", "/persons", "/invites", "/person 2"):
        await olena.send(command)
        reply = await olena.next_message()
        assert "доступна лише працівникам відділу" in reply.text
        assert "Вам доступні команди /report (звіт)" in reply.text  # what she can do instead
        assert "ЄДРПОУ" not in reply.text and "Ліцей" not in reply.text


async def test_a_coordinator_gets_unknown_command_and_a_short_menu_not_the_whole_help(
    zvit: World,
) -> None:
    coordinator = await zvit.coordinator()
    for typed, lead in (
        ("/foo", "Невідома команда /foo."),
        ("/Status", "Невідома команда /Status. Можливо, ви мали на увазі /status?"),
        ("/статус", "Невідома команда /статус."),
        ("/report", "Команда /report — для уповноважених осіб"),
        ("Привіт, як справи?", "Таке повідомлення бот зараз не очікує."),
    ):
        await coordinator.send(typed)
        reply = (await coordinator.next_message()).text
        assert reply.startswith(lead), reply
        assert "/round" in reply and "/help — усі команди" in reply
        assert len(reply.splitlines()) <= 10 and "Команди координатора" not in reply
    await coordinator.send("/help")
    assert "Команди координатора" in (await coordinator.next_message()).text


async def test_a_person_gets_unknown_command_and_her_own_commands(zvit: World) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(VODOKANAL_PERSON, 5001, "Олена")
    await olena.send("/foo")
    reply = (await olena.next_message()).text
    assert reply.startswith("Невідома команда /foo.")
    assert "/report — заповнити або продовжити звіт" in reply and "/round" not in reply
    await olena.send("/Report")
    assert "Можливо, ви мали на увазі /report?" in (await olena.next_message()).text


async def test_a_forged_coordinator_callback_is_refused(zvit: World) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(VODOKANAL_PERSON, 5001, "Олена")
    greeting = (await olena.messages())[-1]
    # A hand-made "dismiss person 2" button press, as a curious person might forge it.
    query_id = await olena.press_data("pc1:s:2:dismissed", greeting.message_id)
    answer = await callback_answer(olena, query_id)
    assert answer.get("show_alert")
    async with zvit.db.reading() as conn:
        person = await registry.get_person(conn, 2)
    assert person is not None and person.status.value == "active"


async def test_coordinator_unbinds_and_the_old_account_loses_access(zvit: World) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(VODOKANAL_PERSON, 5001, "Олена")
    coordinator = await zvit.coordinator()
    await coordinator.send(f"/unbind {VODOKANAL_PERSON}")
    assert "відв'язано" in (await coordinator.next_message()).text
    await olena.send("/report")
    assert "Доступ мають лише зареєстровані" in (await olena.next_message()).text


async def test_a_person_marked_unreachable_is_reachable_again_once_they_write(zvit: World) -> None:
    await zvit.seed_registry()
    olena = await zvit.bound_person(VODOKANAL_PERSON, 5001, "Олена")
    async with zvit.db.transaction() as conn:
        person = await registry.get_person(conn, VODOKANAL_PERSON)
        assert person is not None
        await registry.mark_unreachable(
            conn, person, unreachable=True, actor_id=None, now=zvit.clock.now()
        )
    await olena.send("/help")
    await olena.next_message()
    async with zvit.db.reading() as conn:
        person = await registry.get_person(conn, VODOKANAL_PERSON)
    assert person is not None and not person.unreachable


async def test_a_person_who_connects_during_an_open_round_is_invited_at_once(
    zvit: World,
) -> None:
    """Quarter's edges, case 7: a late joiner was told to wait and got no invitation."""
    from tests.e2e.harness import open_round_via_chat, save_demo_plan

    await zvit.seed_registry()
    await save_demo_plan(zvit)
    await open_round_via_chat(zvit)
    code = await zvit.invite_code(1)
    olena = await zvit.user(5001, "Олена")

    await olena.send(f"/start {code}")
    greeting = await olena.next_message()
    invitation = await olena.next_message(timeout=10)

    assert "Зараз триває збір звітів за I квартал 2026 року" in greeting.text
    assert "Розпочато збір звітів" in invitation.text and invitation.has_button("Почати")
    await zvit.settled()
    assert await olena.pending() == []  # one invitation, not two


async def test_a_second_invites_keeps_the_links_already_forwarded(zvit: World) -> None:
    """Quarter's edges, case 9: /invites again silently cancelled every forwarded link."""
    import re

    await zvit.seed_registry()
    coordinator = await zvit.coordinator()
    await coordinator.send("/invites")
    first = ""
    while len(re.findall(r"\?start=", first)) < 14:
        first += (await coordinator.next_message()).text
    links = re.findall(r"\?start=([\w-]+)", first)

    await coordinator.send("/invites")
    second = await coordinator.next_message()
    assert "уже мають чинні запрошення, видані раніше" in second.text
    assert "?start=" not in second.text

    olena = await zvit.user(5001, "Олена")
    await olena.send(f"/start {links[0]}")
    assert "уповноважена особа" in (await olena.next_message()).text
    await coordinator.send("/invite 2")
    reissued = await coordinator.next_message()
    assert "Попереднє, ще чинне запрошення цієї особи скасовано" in reissued.text
    bohdan = await zvit.user(5002, "Богдан")
    await bohdan.send(f"/start {links[1]}")
    assert "уповноважена особа" not in (await bohdan.next_message()).text


async def test_opening_another_persons_invite_asks_before_moving_the_account(
    zvit: World,
) -> None:
    """Quarter's edges, case 10: person A opening B's link silently became B."""
    await zvit.seed_registry()
    olena = await zvit.bound_person(1, 5001, "Олена")
    code = await zvit.invite_code(2)

    await olena.send(f"/start {code}")
    question = await olena.next_message()
    assert "уже прив'язано до іншої особи" in question.text
    async with zvit.db.reading() as conn:
        still = await registry.person_by_telegram(conn, 5001)
    assert still is not None and still.id == 1  # nothing moved yet

    await olena.press("Так, прив'язати до нової особи", question)
    assert "уповноважена особа" in (await olena.next_message()).text
    async with zvit.db.reading() as conn:
        moved = await registry.person_by_telegram(conn, 5001)
        first = await registry.get_person(conn, 1)
    assert moved is not None and moved.id == 2
    assert first is not None and first.telegram_id is None


async def test_a_coordinator_opening_an_invite_is_refused_and_nothing_changes(
    zvit: World,
) -> None:
    """Quarter's edges, case 10: a coordinator who opened a link became that person."""
    await zvit.seed_registry()
    coordinator = await zvit.coordinator()
    code = await zvit.invite_code(1)

    await coordinator.send(f"/start {code}")

    assert "ви працюєте в боті як координатор" in (await coordinator.next_message()).text
    async with zvit.db.reading() as conn:
        person = await registry.get_person(conn, 1)
    assert person is not None and person.telegram_id is None
    olena = await zvit.user(5001, "Олена")
    await olena.send(f"/start {code}")
    assert "уповноважена особа" in (await olena.next_message()).text  # the link still works


async def test_a_promoted_coordinator_is_not_invited_or_reminded_as_a_person(
    zvit: World,
) -> None:
    """Quarter's edges, case 12: one rule — a coordinator does not fill reports."""
    from tests.e2e.harness import open_round_via_chat, save_demo_plan

    await zvit.seed_registry()
    await save_demo_plan(zvit)
    olena = await zvit.bound_person(1, 5001, "Олена")
    natalia = await zvit.bound_person(4, 5004, "Наталія")
    coordinator = await zvit.coordinator()
    await coordinator.send("/promote 1")
    assert "тепер координатор" in (await coordinator.next_message()).text
    await olena.pending()

    await open_round_via_chat(zvit)
    await zvit.settled()

    assert "Розпочато збір звітів" in (await natalia.next_message()).text
    assert not [m for m in await olena.pending() if "Розпочато збір" in m.text]
    await coordinator.send("/assign 44102318 1")  # nor made a substitute
    refusal = await coordinator.next_message()
    assert "тепер також може заповнювати" not in refusal.text


async def test_a_persons_help_says_where_their_report_stands(zvit: World) -> None:
    """Quarter's edges, case 7: the help text depends on the person's state."""
    from tests.e2e.harness import open_round_via_chat, save_demo_plan

    await zvit.seed_registry()
    await save_demo_plan(zvit)
    olena = await zvit.bound_person(1, 5001, "Олена")

    async def help_text() -> str:
        await olena.send("/help")
        return (await olena.next_message()).text

    assert "Зараз збору звітів немає" in await help_text()
    await open_round_via_chat(zvit)
    invitation = await olena.next_message()
    assert "Ви ще не почали" in await help_text()
    await olena.press("Почати", invitation)
    screen = await olena.next_message()
    await olena.press("✅ Виконано", screen)
    await olena.next_message()
    assert "Ви заповнюєте звіт за I квартал 2026 року" in await help_text()

import re

from demo.registry_data import registry_csv, registry_rows
from storage import registry
from tests.e2e.harness import World, callback_answer


async def test_coordinator_imports_the_registry_and_hears_about_the_bad_row(zvit: World) -> None:
    rows = registry_rows()
    rows[5][0] = "12345670"  # check digit wrong
    coordinator = await zvit.coordinator()
    await coordinator.send_document("реєстр.csv", registry_csv(rows))
    report = await coordinator.next_message()
    assert "Реєстр оновлено" in report.text
    assert "нових — 13" in report.text
    assert "Відхилено рядків: 1" in report.text
    assert "рядок 6: код ЄДРПОУ «12345670» неправильний" in report.text
    async with zvit.db.reading() as conn:
        assert len(await registry.list_enterprises(conn)) == 13


async def test_an_unsupported_file_is_explained_and_nothing_is_stored(zvit: World) -> None:
    coordinator = await zvit.coordinator()
    await coordinator.send_document("реєстр.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100)
    reply = await coordinator.next_message()
    assert "старого формату Excel" in reply.text and "Нічого не збережено" in reply.text
    async with zvit.db.reading() as conn:
        assert await registry.list_enterprises(conn) == []


async def test_bulk_invites_list_a_link_for_every_unbound_person(zvit: World) -> None:
    await zvit.seed_registry()
    await zvit.bound_person(1, 5001, "Олена")
    coordinator = await zvit.coordinator()
    await coordinator.send("/invites")
    text = (await coordinator.next_message()).text
    links = re.findall(r"https://t\.me/zvitbot_test_bot\?start=([\w-]+)", text)
    assert len(links) == 13
    assert "Олена Петрівна Гнатюк" not in text
    # A link from the list really works for the person it names.
    newcomer = await zvit.user(5002, "Богдан")
    await newcomer.send(f"/start {links[0]}")
    assert "Богдан Ігорович Савчук" in (await newcomer.next_message()).text


async def test_coordinator_searches_and_changes_a_status_from_the_card(zvit: World) -> None:
    await zvit.seed_registry()
    coordinator = await zvit.coordinator()
    await coordinator.send("/enterprises ліцей")
    found = await coordinator.next_message()
    assert "Ліцей № 7" in found.text and "Ліцей № 15" in found.text
    assert "Міськводоканал" not in found.text
    await coordinator.send("/person 4")
    card = await coordinator.next_message()
    assert "Наталія Василівна Коваль" in card.text
    query = await coordinator.press("У відпустці", card)
    await callback_answer(coordinator, query)
    edited = await coordinator.next_message()
    assert edited.edited and "Статус: у відпустці" in edited.text
    async with zvit.db.reading() as conn:
        person = await registry.get_person(conn, 4)
    assert person is not None and person.status.value == "on_leave"


async def test_a_person_on_leave_is_told_their_access_is_suspended(zvit: World) -> None:
    await zvit.seed_registry()
    natalia = await zvit.bound_person(4, 5004, "Наталія")
    coordinator = await zvit.coordinator()
    await coordinator.send("/person 4")
    await coordinator.press("У відпустці", await coordinator.next_message())
    await coordinator.next_message()
    await natalia.send("/report")
    assert "призупинено" in (await natalia.next_message()).text


async def test_a_person_number_beyond_sqlites_integers_is_simply_not_found(zvit: World) -> None:
    """Quarter's edges, case 15: /person 99999999999999999999 crashed with OverflowError."""
    await zvit.seed_registry()
    coordinator = await zvit.coordinator()

    for command in ("/person 99999999999999999999", "/invite #9223372036854775808"):
        await coordinator.send(command)
        assert "Особу не знайдено" in (await coordinator.next_message()).text, command

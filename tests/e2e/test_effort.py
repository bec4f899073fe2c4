"""What a report costs the person: real actions (presses, typed messages, uploads) counted over
the emulator, and the bot messages still in their chat at the end (docs/ux.md records both)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from demo.answers import DONE, ZERO
from demo.people import next_screen, wait_for
from demo.plan_data import plan_docx
from emulator.client import BotMessage, SimUser
from reports.indicator_reader import default_indicators
from reports.plan_reader import read_plan
from storage import answers as answer_rows
from storage import plans, reporting
from tests.e2e.harness import World, open_round_via_chat
from tests.e2e.test_questionnaire import MEASURES, OLENA, answer_all, finish_indicators

# Two of the offered indicators, each attached to the measure it counts (none left loose).
ATTACHED = {"consultations": "2.3", "decl_annual": "4.1"}


@dataclass
class Effort:
    """A person whose every press, typed message and upload is counted."""

    user: SimUser
    actions: int = 0

    async def press(self, text: str, message: BotMessage) -> BotMessage:
        self.actions += 1
        await self.user.press(text, message)
        return await self.user.next_message()

    async def type(self, text: str) -> BotMessage:
        self.actions += 1
        await self.user.send(text)
        return await next_screen(self.user)


async def plan_with_attached_indicators(zvit: World) -> None:
    """The demo plan (13 measures) with two indicators, attached by /indicator in the chat."""
    chosen = tuple(i for i in default_indicators() if i.code in ATTACHED)
    draft = read_plan("plan.docx", plan_docx(), default_title="План")
    async with zvit.db.transaction() as conn:
        await plans.save_plan(
            conn, draft, years=(2026, 2027), indicators=chosen, source_name="plan.docx",
            actor_id=None, now=zvit.clock.now(),
        )  # fmt: skip
    coordinator = await zvit.coordinator()
    for code, number in ATTACHED.items():
        await coordinator.send(f"/indicator {code} {number}")
        assert number in (await coordinator.next_message()).text


async def ready(zvit: World) -> SimUser:
    await zvit.seed_registry()
    await plan_with_attached_indicators(zvit)
    olena = await zvit.bound_person(*OLENA)
    await open_round_via_chat(zvit)
    return olena


def left_in_chat(zvit: World, chat_id: int, since: int) -> tuple[list[int], list[int]]:
    """The bot's and the person's messages still visible, from message `since` on."""
    visible = zvit.emulator.chat_messages(chat_id, include_user=True)
    bot = [m["message_id"] for m in visible if m["from_bot"] and m["message_id"] >= since]
    own = [m["message_id"] for m in visible if not m["from_bot"] and m["message_id"] >= since]
    return bot, own


async def fill_in_the_first_quarter(olena: Effort) -> tuple[BotMessage, list[str]]:
    """Every measure done, with a text; every indicator a number, on its measure's screen."""
    invitation = await wait_for(olena.user, "Розпочато збір")
    screen = await olena.press("Почати", invitation)
    asked: list[str] = []
    for n in range(MEASURES):
        assert screen.has_button(DONE), screen.text
        prompt = await olena.press(DONE, screen)
        screen = await olena.type(f"Проведено нараду за заходом {n + 1}, протокол № {n + 1}")
        assert screen.message_id == invitation.message_id, "one window, edited in place"
        assert f"Проведено нараду за заходом {n + 1}" in screen.text.split("\n")[0]
        if n == 0:
            print("BEFORE:\n" + prompt.text + "\n\nAFTER:\n" + screen.text)  # docs/ux.md
        while screen.has_button(ZERO):
            asked.append(screen.text)
            screen = await olena.type("4")
    assert "📨 Подати звіт" in screen.button_texts()
    receipt = await olena.press("📨 Подати звіт", screen)
    assert "Звіт подано" in receipt.text and receipt.message_id == invitation.message_id
    document = await olena.user.next_document(timeout=15)
    assert document.document is not None
    return invitation, asked


async def open_the_second_quarter(zvit: World) -> None:
    """The coordinator closes the first quarter's round and opens the second's."""
    coordinator = await zvit.coordinator()
    zvit.clock.advance(timedelta(days=42))  # Monday 13 April, a working morning
    await coordinator.send("/round")
    while not (controls := await coordinator.next_message()).has_button("Закрити збір"):
        pass
    await coordinator.press("Закрити збір", controls)
    await coordinator.press("Так, закрити збір", await wait_for(coordinator, "Закрити збір"))
    await wait_for(coordinator, "закрито")
    await coordinator.send("/round")
    draft = await wait_for(coordinator, "II квартал 2026 року")
    await coordinator.press("Відкрити збір", draft)


async def test_a_report_of_thirteen_measures_costs_one_action_per_answer(zvit: World) -> None:
    olena = Effort(await ready(zvit))

    invitation, asked = await fill_in_the_first_quarter(olena)

    assert [a.split("\n")[2] for a in asked] == [
        "Показник 1 з 2 · до заходу 2.3",
        "Показник 2 з 2 · до заходу 4.1",
    ]
    budget = 1 + MEASURES + MEASURES + len(ATTACHED) + 1
    bot, own = left_in_chat(zvit, olena.user.id, invitation.message_id)
    print(f"EFFORT: {olena.actions} actions (budget {budget}); left: {len(bot)} bot, {len(own)}")
    assert olena.actions <= budget
    assert len(bot) <= 5 and own == []  # the receipt (the window) and the report's DOCX


async def test_a_quarter_like_the_last_one_is_handed_in_in_three_taps(zvit: World) -> None:
    olena = Effort(await ready(zvit))
    await fill_in_the_first_quarter(olena)
    await open_the_second_quarter(zvit)

    second = Effort(olena.user)
    invitation = await wait_for(olena.user, "Розпочато збір")
    screen = await second.press("Почати", invitation)
    overview = await second.press("📋 Усе як минулого разу", screen)
    assert "збережено 13 відповідей" in overview.text
    assert "з них як минулого разу (↩): 13" in overview.text
    assert overview.has_button("↩ 1.1") and overview.has_button("📨 Подати звіт")
    receipt = await second.press("📨 Подати звіт", overview)

    assert "Звіт подано" in receipt.text
    print(f"EFFORT: the second quarter took {second.actions} actions")
    assert second.actions <= 4
    async with zvit.db.reading() as conn:
        [*_, report] = await reporting.reports_for_person(conn, 1, 1)
        answers = await answer_rows.answers_of(conn, report.id)
        values = await answer_rows.indicator_values(conn, report.id)
    assert len(answers) == MEASURES and values == {"consultations": 4, "decl_annual": 4}


async def test_an_indicator_with_nothing_to_count_takes_one_tap(zvit: World) -> None:
    user = await ready(zvit)
    olena = Effort(user)
    screen = await olena.press("Почати", await wait_for(user, "Розпочато збір"))
    for _ in range(6):  # measures 1.1 to 2.3
        await olena.press(DONE, screen)
        screen = await olena.type("Проведено нараду з працівниками")
    assert "до заходу 2.3" in screen.text
    screen = await olena.press(ZERO, screen)
    assert "Захід 7 з 13" in screen.text and "— 0" in screen.text.split("\n")[0]
    async with zvit.db.reading() as conn:
        [report] = await reporting.reports_for_person(conn, 1, 1)
        assert await answer_rows.indicator_values(conn, report.id) == {"consultations": 0}


@pytest.mark.parametrize("fault", ["400", "500"])
async def test_where_the_typed_message_cannot_be_deleted_a_new_screen_follows(
    zvit: World, fault: str
) -> None:
    user = await ready(zvit)
    olena = Effort(user)
    first = await olena.press("Почати", await wait_for(user, "Розпочато збір"))
    await olena.press(DONE, first)
    await zvit.client.set_faults(fault, count=1, methods=["deleteMessage"])

    screen = await olena.type("Перелік уповноважених оновлено 10.03.2026")

    assert not screen.edited and screen.message_id > first.message_id
    assert "Збережено (1.1): Перелік уповноважених оновлено" in screen.text
    assert "Захід 2 з 13" in screen.text
    windows = [m.message_id for m in await user.messages() if m.button_texts()]
    assert windows == [screen.message_id], "the old window lost its buttons"
    bot, own = left_in_chat(zvit, user.id, first.message_id)
    assert len(own) == 1  # the text stays where Telegram would not delete it

    # The questionnaire goes on, in place again, to the receipt.
    await olena.press(DONE, screen)
    edited = await olena.type("Нараду проведено 12.03.2026, протокол № 3")
    assert edited.edited and edited.message_id == screen.message_id
    screen = await finish_indicators(user, await answer_all(user, edited, MEASURES - 2))
    receipt = await olena.press("📨 Подати звіт", screen)
    assert "Звіт подано" in receipt.text

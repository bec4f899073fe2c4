"""The review card as the coordinator meets it: copying is visible (every answer handed in
unchanged from last quarter is marked and counted), and a card of an outdated version
decides nothing."""

from __future__ import annotations

from core.models import ReportState
from demo.people import wait_for
from emulator.client import BotMessage, SimUser
from storage import reporting
from storage.database import fetch_all
from tests.e2e.harness import World, callback_answer
from tests.e2e.test_effort import (
    Effort,
    fill_in_the_first_quarter,
    open_the_second_quarter,
    ready,
)
from tests.e2e.test_questionnaire import OLENA, submit_everything
from tests.e2e.test_questionnaire import ready as ready_people

COPIED = "(↩ як минулого разу)"


async def test_the_review_card_marks_the_answers_copied_from_last_quarter(zvit: World) -> None:
    olena = Effort(await ready(zvit))
    await fill_in_the_first_quarter(olena)
    coordinator = await zvit.coordinator()
    await coordinator.send("/review")
    first = await wait_for(coordinator, "Очікують рішення")
    assert "Без змін з минулого звіту" not in first.text and COPIED not in first.text
    await coordinator.press("✅ Прийняти", first)
    await wait_for(coordinator, "Черга порожня")
    await open_the_second_quarter(zvit)

    # Everything as last time, then one measure changed: 12 copied, 1 new.
    screen = await olena.press("Почати", await wait_for(olena.user, "Розпочато збір"))
    overview = await olena.press("📋 Усе як минулого разу", screen)
    measure = await olena.press("↩ 1.1", overview)
    await olena.press("🔄 Виконується", measure)
    screen = await olena.type("Перелік оновлюємо: дві особи змінилися, наказ готується.")
    while not screen.has_button("📨 Подати звіт"):
        screen = await olena.press("☰ Перелік", screen)
    assert "Звіт подано" in (await olena.press("📨 Подати звіт", screen)).text

    await coordinator.send("/review")
    card = await wait_for(coordinator, "Очікують рішення")
    assert "↩ Без змін з минулого звіту: 12 з 13." in card.text
    assert card.text.count(COPIED) == 12
    [changed] = [line for line in card.text.splitlines() if "Перелік оновлюємо" in line]
    assert COPIED not in changed and "виконується" in changed


async def test_a_card_of_a_version_returned_and_handed_in_again_decides_nothing(
    zvit: World,
) -> None:
    [olena] = await ready_people(zvit, OLENA)
    coordinator = await zvit.coordinator()
    await submit_everything(olena)
    notice = await wait_for(coordinator, "Звіт подано")
    await coordinator.send("/review")
    old_card = await wait_for(coordinator, "Очікують рішення")  # version 1

    await coordinator.press("↩ Повернути на доопрацювання", notice)
    await wait_for(coordinator, "Напишіть одним повідомленням")
    await coordinator.send("Уточніть дати в заході 2.1")
    returned = await wait_for(olena, "повернуто на доопрацювання")
    overview = await press(olena, "Виправити звіт", returned)
    assert "Звіт подано" in (await press(olena, "📨 Подати звіт", overview)).text

    answer = await callback_answer(coordinator, await coordinator.press("✅ Прийняти", old_card))
    assert "уже не очікує рішення" in str(answer.get("text"))
    async with zvit.db.reading() as conn:
        [report] = [r for r in await reporting.reports_of_round(conn, 1) if r.version]
        accepts = await fetch_all(
            conn, "SELECT id FROM audit_log WHERE action = 'report.accepted'", ()
        )
    assert report.state is ReportState.SUBMITTED and report.version == 2 and accepts == []
    card = await wait_for(coordinator, "Очікують рішення")
    assert "Версія 2" in card.text


async def press(user: SimUser, text: str, message: BotMessage) -> BotMessage:
    await user.press(text, message)
    return await user.next_message()

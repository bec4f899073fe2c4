"""The live questionnaire window survives a send whose answer never comes back, and a restart;
an error reply says what was saved."""

from __future__ import annotations

from core.models import MeasureStatus, ReportState
from tests.e2e.harness import World, callback_answer, next_screen
from tests.e2e.test_questionnaire import OLENA, answer_all, ready, start, stored_answers


async def test_a_screen_whose_send_was_not_answered_keeps_working_after_a_restart(
    zvit: World,
) -> None:
    """Quarter's edges, case 13: the next screen reached the person, but the connection dropped
    before the bot heard back. Its buttons work, after a restart too, and the error reply says
    the answer was saved instead of «Нічого не змінено»."""
    [olena] = await ready(zvit, OLENA)
    first = await start(olena)
    await olena.press("✅ Виконано", first)
    await olena.next_message()  # «Напишіть одним повідомленням…»
    # The live window is edited into the next screen after typed input.
    await zvit.client.set_faults("drop_after", count=1, methods=["editMessageText"])

    await olena.send("Проведено навчання для працівників відділу кадрів")

    second = await next_screen(olena)  # delivered, though the bot never got the answer
    assert "1.2" in second.text
    apology = await olena.next_message()
    assert "збережено" in apology.text and "Нічого не змінено" not in apology.text
    assert "/report" in apology.text
    await zvit.stop_bot()
    await zvit.start_bot()

    query = await olena.press("❌ Не виконано", second)

    assert (await callback_answer(olena, query)).get("show_alert") is not True
    prompt = await olena.next_message()
    assert prompt.edited and prompt.message_id == second.message_id
    statuses = [a.status for a in (await stored_answers(zvit)).values()]  # type: ignore[attr-defined]
    assert statuses == [MeasureStatus.DONE, MeasureStatus.NOT_DONE]


async def test_an_error_before_anything_was_saved_says_nothing_changed(zvit: World) -> None:
    """Quarter's edges, case 13: the other half of the rule, when nothing was committed."""
    await zvit.seed_registry()
    coordinator = await zvit.coordinator()
    await coordinator.send("/start")
    await coordinator.next_message()
    await zvit.client.set_faults("500", count=1, methods=["sendMessage"])

    await coordinator.send("/status")

    apology = await coordinator.next_message()
    assert "Нічого не змінено" in apology.text and "збережено" not in apology.text


async def test_buttons_of_an_accepted_report_say_it_was_accepted(zvit: World) -> None:
    """Texts review: a refused edit of an accepted report says so, not «кнопки не діють»."""
    [olena] = await ready(zvit, OLENA)
    first = await start(olena)
    async with zvit.db.transaction() as conn:
        await conn.execute("UPDATE reports SET state = ?", (ReportState.ACCEPTED.value,))

    query = await olena.press("✅ Виконано", first)

    assert "прийнято" in str((await callback_answer(olena, query)).get("text"))
    assert await stored_answers(zvit) == {}


async def test_a_start_button_sent_before_windows_had_tokens_still_opens_the_report(
    zvit: World,
) -> None:
    """Quarter's edges, case 13: invitations and reminders already in chats (or queued in the
    outbox) when the bot is upgraded carry «Почати» without a window token; they still work."""
    [olena] = await ready(zvit, OLENA)
    invitation = await olena.next_message()
    report = invitation.button("Почати")[1].split(":")[2]

    query = await olena.press_data(f"q1:go:{report}:0:", invitation.message_id)

    assert (await callback_answer(olena, query)).get("show_alert") is not True
    screen = await olena.next_message()
    assert screen.edited and screen.has_button("✅ Виконано")


async def test_a_forged_status_on_an_indicator_screen_changes_no_measure(zvit: World) -> None:
    """Quarter's edges, case 14: a status button counts only on its measure's screen; on the
    screen of indicator 1 a forged status for measure 1 is refused."""
    [olena] = await ready(zvit, OLENA)
    screen = await answer_all(olena, await start(olena))
    await olena.press("Пропустити", screen)  # indicator 0 → indicator 1, edited in place
    indicator = await olena.next_message()
    report, index, window = (indicator.button("Пропустити")[1].split(":")[i] for i in (2, 3, 5))
    first = min(await stored_answers(zvit))  # the id of the report's first measure
    assert index == "1" and first == 1, "the ids this test relies on"

    query = await olena.press_data(
        f"q1:st:{report}:{first}:not_done:{window}", indicator.message_id
    )

    assert "не діють" in str((await callback_answer(olena, query)).get("text"))
    assert (await stored_answers(zvit))[first].status is MeasureStatus.DONE  # type: ignore[attr-defined]

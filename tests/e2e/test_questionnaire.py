from datetime import UTC, datetime, timedelta

from core.models import MeasureStatus, ReportState
from demo.answers import ZERO
from demo.people import submit, wait_for
from emulator.client import BotMessage, SimUser
from services.summary import NoRounds, load_summary
from storage import answers as answer_rows
from storage import reporting
from storage import rounds as round_rows
from storage.database import fetch_all
from tests.e2e.harness import (
    World,
    callback_answer,
    next_screen,
    open_round_via_chat,
    save_demo_plan,
)

OLENA = (1, 5001, "Олена")  # person id, Telegram id, first name: КП «Міськводоканал»
NATALIA = (4, 5004, "Наталія")  # Ліцей № 7
MEASURES = 13


async def ready(zvit: World, *people: tuple[int, int, str]) -> list[SimUser]:
    await zvit.seed_registry()
    await save_demo_plan(zvit)
    users = [await zvit.bound_person(*p) for p in people]
    await open_round_via_chat(zvit)
    return users


async def start(user: SimUser) -> BotMessage:
    invitation = await user.next_message()
    assert "Розпочато збір звітів" in invitation.text
    await user.press("Почати", invitation)
    return await user.next_message()


async def answer_measure(user: SimUser, screen: BotMessage, status: str, text: str) -> BotMessage:
    await user.press(status, screen)
    prompt = await user.next_message()
    if status.endswith("Не застосовується"):
        return prompt
    assert "Напишіть одним повідомленням" in prompt.text
    await user.send(text)
    return await next_screen(user)


async def answer_all(user: SimUser, screen: BotMessage, count: int = MEASURES) -> BotMessage:
    for n in range(count):
        screen = await finish_indicators(user, screen)  # the last measure's own, if any
        screen = await answer_measure(user, screen, "✅ Виконано", f"Зроблено за заходом {n}")
    return screen


async def finish_indicators(user: SimUser, screen: BotMessage) -> BotMessage:
    while screen.has_button(ZERO):
        await user.send("2")
        screen = await next_screen(user)
    return screen


async def stored_answers(zvit: World, enterprise_id: int = 1) -> dict[int, object]:
    """Answers of the enterprise's latest report, whatever the round's state."""
    async with zvit.db.reading() as conn:
        rows = await fetch_all(
            conn,
            "SELECT id FROM reports WHERE enterprise_id = ? ORDER BY id DESC LIMIT 1",
            (enterprise_id,),
        )
        return dict(await answer_rows.answers_of(conn, rows[0][0]))


async def test_opening_a_round_invites_each_bound_person_once(zvit: World) -> None:
    await zvit.seed_registry()
    await save_demo_plan(zvit)
    olena = await zvit.bound_person(*OLENA)
    coordinator = await zvit.coordinator()
    await coordinator.send("/round")
    draft = await coordinator.next_message()
    assert "I квартал 2026 року" in draft.text
    assert "25.03.2026 (середа)" in draft.text
    await coordinator.press("Строк +7 дн.", draft)
    draft = await coordinator.next_message()
    assert "01.04.2026 (середа)" in draft.text
    await coordinator.press("Відкрити збір", draft)
    opened = await coordinator.next_message()
    assert "відкрито" in opened.text and "надіслано 1 особі" in opened.text
    invitation = await olena.next_message()
    assert "I квартал 2026 року" in invitation.text
    assert "Заходів для звітування: 13" in invitation.text
    assert "01.04.2026 (середа)" in invitation.text
    assert invitation.button_texts() == ["Почати"]
    assert await olena.pending() == []


async def test_a_full_questionnaire_with_every_status_evidence_and_indicators(
    zvit: World,
) -> None:
    [olena] = await ready(zvit, OLENA)
    screen = await start(olena)
    assert "Захід 1 з 13" in screen.text and "1. Організаційне забезпечення" in screen.text
    screen = await answer_measure(olena, screen, "✅ Виконано", "Перелік оновлено 10.03.")
    assert "Захід 2 з 13" in screen.text
    screen = await answer_measure(olena, screen, "➖ Не застосовується", "")
    assert "Захід 3 з 13" in screen.text
    screen = await answer_measure(olena, screen, "🔄 Виконується", "Сторінку готуємо")
    await olena.press("❌ Не виконано", screen)
    prompt = await olena.next_message()
    await olena.send_document("наказ.pdf", b"%PDF-1.4 order")
    screen = await next_screen(olena)  # below the file, which stays in the chat
    assert "Файл «наказ.pdf» додано до заходу 2.1" in screen.text
    assert "Напишіть одним повідомленням" in screen.text and prompt.message_id != screen.message_id
    assert [m.message_id for m in await olena.messages() if m.button_texts()] == [
        screen.message_id
    ], "one window: the one above the file is gone"
    await olena.send("Навчання перенесено на квітень")
    screen = await answer_all(olena, await next_screen(olena), MEASURES - 4)
    assert "Показник 1 з 3" in screen.text
    await olena.send("багато")
    assert "не ціле число" in (await olena.next_message()).text
    await olena.send("-5")
    assert "Число не може бути від'ємним" in (await olena.next_message()).text
    await olena.send("12")
    screen = await next_screen(olena)
    assert "Показник 2 з 3" in screen.text
    await olena.press("Пропустити", screen)
    screen = await olena.next_message()
    await olena.press(ZERO, screen)
    overview = await olena.next_message()
    assert "Заповнено заходів: 13 з 13" in overview.text and "Показників: 2 з 3" in overview.text
    receipt = await submit(olena, overview)
    assert "Звіт подано" in receipt.text and "Версія 1" in receipt.text
    assert "Виконано — 10, виконується — 1, не виконано — 1, не застосовується — 1" in receipt.text

    answers = await stored_answers(zvit)
    assert len(answers) == MEASURES
    async with zvit.db.reading() as conn:
        reports = await reporting.reports_for_person(conn, 1, 1)
        report = reports[0]
        attachments = await answer_rows.attachments_of(conn, report.id)
        values = await answer_rows.indicator_values(conn, report.id)
    assert report.state is ReportState.SUBMITTED and not report.late
    assert [a.file_name for a in attachments] == ["наказ.pdf"]
    assert list(values.values()) == [12, None, 0]

    coordinator = await zvit.coordinator()
    notice = await coordinator.next_message()
    assert "КП «Міськводоканал»" in notice.text and "вчасно" in notice.text
    assert notice.button_texts() == ["Переглянути", "✅ Прийняти", "↩ Повернути на доопрацювання"]


async def test_too_long_text_is_refused_with_how_much_to_cut(zvit: World) -> None:
    [olena] = await ready(zvit, OLENA)
    screen = await start(olena)
    await olena.press("✅ Виконано", screen)
    await olena.next_message()
    await olena.send("а" * 3010)
    refusal = await olena.next_message()
    assert "на 10 символів" in refusal.text and "Нічого не змінено" in refusal.text
    answer = (await stored_answers(zvit))[next(iter(await stored_answers(zvit)))]
    assert answer.narrative == ""  # type: ignore[attr-defined]


async def test_report_resumes_where_the_person_left_off(zvit: World) -> None:
    [olena] = await ready(zvit, OLENA)
    screen = await start(olena)
    screen = await answer_measure(olena, screen, "✅ Виконано", "Перший захід виконано")
    screen = await answer_measure(olena, screen, "✅ Виконано", "Другий захід виконано")
    await olena.press("Зберегти й вийти", screen)
    assert "Збережено" in (await olena.next_message()).text
    await olena.send("/report")
    resumed = await olena.next_message()
    assert "Захід 3 з 13" in resumed.text


async def test_submitting_with_missing_answers_is_refused_with_the_list(zvit: World) -> None:
    [olena] = await ready(zvit, OLENA)
    screen = await start(olena)
    await answer_measure(olena, screen, "✅ Виконано", "Перший захід виконано")
    await olena.send("/report")
    await olena.next_message()
    await olena.press("☰ Перелік", (await olena.messages())[-1])
    overview = await olena.next_message()
    assert "дайте відповідь на заходи: 1.2, 1.3, 2.1" in overview.text
    assert "📨 Подати звіт" not in overview.button_texts()
    report, _, _, window = overview.button("✏️ 1.1")[1].split(":")[2:6]
    query = await olena.press_data(f"q1:sb:{report}:0::{window}", overview.message_id)
    answer = await callback_answer(olena, query)
    assert "Ще без відповіді: 1.2, 1.3" in str(answer.get("text"))
    async with zvit.db.reading() as conn:
        [report] = await reporting.reports_for_person(conn, 1, 1)
    assert report.state is ReportState.DRAFT and report.version == 0


async def submit_everything(user: SimUser) -> BotMessage:
    screen = await start(user)
    screen = await finish_indicators(user, await answer_all(user, screen))
    return await submit(user, screen)


async def test_returned_report_is_fixed_resubmitted_and_accepted(zvit: World) -> None:
    [olena] = await ready(zvit, OLENA)
    await submit_everything(olena)
    coordinator = await zvit.coordinator()
    notice = await coordinator.next_message()
    await coordinator.press("Переглянути", notice)
    view = await coordinator.next_message()
    assert "КП «Міськводоканал» — звіт за" in view.text and "Зроблено за заходом 0" in view.text
    await coordinator.press("↩ Повернути на доопрацювання", notice)
    assert "Напишіть одним повідомленням" in (await coordinator.next_message()).text
    await coordinator.send("Додайте дати навчань у 2.1")
    assert "повернуто на доопрацювання" in (await coordinator.next_message()).text

    returned = await olena.next_message()
    assert "Додайте дати навчань у 2.1" in returned.text
    await olena.press("Виправити звіт", returned)
    overview = await olena.next_message()
    assert "Повернуто на доопрацювання" in overview.text
    await olena.press("✏️ 2.1", overview)
    screen = await olena.next_message()
    await olena.send("Навчання 12.02 і 19.03, 40 осіб")
    await next_screen(olena)
    await olena.send("/report")
    await olena.press("☰ Перелік", await olena.next_message())
    assert "Версія 2" in (await submit(olena, await olena.next_message())).text
    del screen

    # Handed in again within half an hour: the next tally counts it; the queue has it now.
    await coordinator.send("/review")
    second = await coordinator.next_message()
    assert "Версія 2" in second.text and "Очікують рішення: 1 звіт." in second.text
    await coordinator.press("✅ Прийняти", second)
    assert "✅ Прийнято: КП «Міськводоканал»." in (await coordinator.next_message()).text
    assert "прийняв звіт" in (await olena.next_message()).text
    async with zvit.db.reading() as conn:
        [report] = await reporting.reports_for_person(conn, 1, 1)
        versions = await fetch_all(conn, "SELECT version FROM report_versions ORDER BY version")
    assert report.state is ReportState.ACCEPTED and [v[0] for v in versions] == [1, 2]


async def reopen(user: SimUser, receipt: BotMessage) -> BotMessage:
    """«✏️ Внести зміни», the question answered «✏️ Так, змінити»; returns the overview."""
    await user.press("✏️ Внести зміни", receipt)
    question = await user.next_message()
    assert "Звіт уже подано. Змінити його?" in question.text
    await user.press("✏️ Так, змінити", question)
    return await user.next_message()


async def test_a_submitted_report_can_be_edited_before_the_deadline(zvit: World) -> None:
    [olena] = await ready(zvit, OLENA)
    receipt = await submit_everything(olena)
    overview = await reopen(olena, receipt)
    assert "Версія 2" in (await submit(olena, overview)).text


async def change_first_measure(user: SimUser, overview: BotMessage, text: str) -> None:
    await user.press("✏️ 1.1", overview)
    screen = await user.next_message()
    await user.press("🔄 Виконується", screen)
    assert "надішліть новий текст" in (await user.next_message()).text
    await user.send(text)
    await next_screen(user)


async def test_a_reopened_report_still_counts_as_submitted_until_a_new_version(
    zvit: World,
) -> None:
    """Quarter's edges, case 1: «Внести зміни» no longer silently un-submits the report."""
    [olena] = await ready(zvit, OLENA)
    coordinator = await zvit.coordinator()
    receipt = await submit_everything(olena)
    notice = await coordinator.next_message()
    await olena.press("✏️ Внести зміни", receipt)
    question = await olena.next_message()
    await olena.press("Залишити поданий", question)
    assert "✏️ Внести зміни" in (await olena.next_message()).button_texts()
    async with zvit.db.reading() as conn:
        [report] = await reporting.reports_for_person(conn, 1, 1)
    assert report.state is ReportState.SUBMITTED and not report.editing

    await change_first_measure(olena, await reopen(olena, receipt), "Зміна, ще не подана відділу")

    async with zvit.db.reading() as conn:
        [report] = await reporting.reports_for_person(conn, 1, 1)
    assert report.state is ReportState.SUBMITTED and report.editing and report.version == 1
    summary = await load_summary(zvit.db, None, zvit.clock.now())
    assert not isinstance(summary, NoRounds) and summary.submission.submitted == 1
    [first] = [m for m in summary.measures if m.measure.number == "1.1"]
    assert [n.parts[0].text for n in first.narratives] == ["Зроблено за заходом 0"]
    await coordinator.press("Переглянути", notice)
    card = await coordinator.next_message()
    assert "Зроблено за заходом 0" in card.text and "ще не подана" not in card.text
    assert "✅ Прийняти" in card.button_texts()

    await coordinator.press("✅ Прийняти", card)
    await coordinator.next_message()
    accepted = await wait_for(olena, "прийняв звіт")
    assert "Зміни, які ви почали вносити й не подали, скасовано" in accepted.text
    answers = await stored_answers(zvit)
    assert "Зміна, ще не подана відділу" not in [
        getattr(a, "narrative", "") for a in answers.values()
    ]


async def test_returning_a_reopened_report_ends_the_edit_and_keeps_the_changes(
    zvit: World,
) -> None:
    """Quarter's edges, case 1: the coordinator may return the submitted version meanwhile."""
    [olena] = await ready(zvit, OLENA)
    coordinator = await zvit.coordinator()
    receipt = await submit_everything(olena)
    notice = await coordinator.next_message()
    await change_first_measure(olena, await reopen(olena, receipt), "Уточнено дати навчань")

    await coordinator.press("↩ Повернути на доопрацювання", notice)
    await coordinator.next_message()
    await coordinator.send("Додайте дати навчань.")
    assert "повернуто" in (await coordinator.next_message()).text.lower()

    returned = await wait_for(olena, "повернуто на доопрацювання")
    assert "разом зі змінами, які ви вже почали вносити" in returned.text
    async with zvit.db.reading() as conn:
        [report] = await reporting.reports_for_person(conn, 1, 1)
    assert report.state is ReportState.RETURNED and not report.editing
    answers = await stored_answers(zvit)
    assert "Уточнено дати навчань" in [getattr(a, "narrative", "") for a in answers.values()]


async def test_after_the_deadline_a_submission_is_marked_late_and_cannot_be_reopened(
    zvit: World,
) -> None:
    [olena] = await ready(zvit, OLENA)
    zvit.clock.set(datetime(2026, 3, 26, 8, 0, tzinfo=UTC))
    receipt = await submit_everything(olena)
    assert "після строку" in receipt.text and receipt.button_texts() == []


async def close_round(coordinator: SimUser, controls: BotMessage) -> BotMessage:
    """«Закрити збір», then «Так, закрити збір» on the question; returns the question."""
    await coordinator.press("Закрити збір", controls)
    question = await coordinator.next_message()
    await coordinator.press("Так, закрити збір", question)
    assert "закрито" in (await coordinator.next_message()).text
    return question


async def test_closing_a_round_asks_first_and_tells_who_was_still_filling(zvit: World) -> None:
    """Quarter's edges, case 6: one tap no longer closes the round; drafts hear of it."""
    olena, natalia = await ready(zvit, OLENA, NATALIA)
    await submit_everything(olena)
    await answer_measure(natalia, await start(natalia), "✅ Виконано", "Почала заповнювати звіт")
    coordinator = await zvit.coordinator()
    await coordinator.next_message()  # the review notice
    await coordinator.send("/round")
    controls = await coordinator.next_message()

    await coordinator.press("Закрити збір", controls)
    question = await coordinator.next_message()
    assert "Закрити збір звітів за I квартал 2026 року?" in question.text
    assert "Ще заповнюють: 1; не розпочали: 12." in question.text
    await coordinator.press("« Назад", question)
    assert "Закрити збір" in (await coordinator.next_message()).button_texts()
    async with zvit.db.reading() as conn:
        assert [r.state.value for r in await round_rows.open_rounds(conn)] == ["open"]

    await close_round(coordinator, controls)
    notice = await wait_for(natalia, "Збір звітів за I квартал 2026 року закрито")
    assert "Звіт не було подано" in notice.text and "Ліцей № 7" in notice.text
    assert not [m for m in await olena.pending() if "закрито" in m.text]


async def test_last_rounds_answer_is_copied_in_one_tap(zvit: World) -> None:
    [olena] = await ready(zvit, OLENA)
    await submit_everything(olena)
    coordinator = await zvit.coordinator()
    await coordinator.next_message()
    zvit.clock.advance(timedelta(days=42))  # Monday 13 April, a working morning
    await coordinator.send("/round")
    controls = await coordinator.next_message()
    await close_round(coordinator, controls)
    await coordinator.send("/round")
    draft = await coordinator.next_message()
    assert "II квартал 2026 року" in draft.text
    await coordinator.press("Відкрити збір", draft)
    await coordinator.next_message()
    screen = await start(olena)
    assert "Минулого разу:" in screen.text and "Зроблено за заходом 0" in screen.text
    assert screen.has_button("📋 Усе як минулого разу")
    await olena.press("↩ Як минулого разу", screen)
    moved_on = await olena.next_message()
    assert moved_on.edited and "Захід 2 з 13" in moved_on.text
    assert "1.1: збережено як минулого разу" in moved_on.text
    assert not moved_on.has_button("📋 Усе як минулого разу")  # only before the first answer
    answers = await stored_answers(zvit)
    assert [a.status for a in answers.values()] == [MeasureStatus.DONE]  # type: ignore[attr-defined]


async def test_a_substitute_fills_the_report_of_an_absent_person(zvit: World) -> None:
    olena, natalia = await ready(zvit, OLENA, NATALIA)
    await olena.next_message()  # her own round invitation
    coordinator = await zvit.coordinator()
    await coordinator.send("/assign 44102318 4")
    assigned = await coordinator.next_message()
    assert "Наталія Василівна Коваль тепер також може заповнювати" in assigned.text
    await natalia.next_message()  # Ліцей № 7 invitation
    substitute_call = await natalia.next_message()
    assert "КП «Міськводоканал»" in substitute_call.text
    await natalia.press("Почати", substitute_call)
    screen = await natalia.next_message()
    await answer_measure(natalia, screen, "✅ Виконано", "Заповнено заміною")
    answers = await stored_answers(zvit, 1)
    assert len(answers) == 1


async def test_stale_and_forged_buttons_change_nothing(zvit: World) -> None:
    olena, natalia = await ready(zvit, OLENA, NATALIA)
    first = await start(olena)
    await answer_measure(olena, first, "✅ Виконано", "Перший захід виконано")
    # The first screen is no longer the live one: its buttons are stale.
    query = await olena.press_data(first.button("❌ Не виконано")[1], first.message_id)
    assert "не діють" in str((await callback_answer(olena, query)).get("text"))
    # Наталія forges a button for Олена's report.
    nat_screen = await start(natalia)
    olena_report = first.button("❌ Не виконано")[1].split(":")[2]
    natalia_window = nat_screen.button("❌ Не виконано")[1].split(":")[5]
    forged = f"q1:st:{olena_report}:{first.button('❌ Не виконано')[1].split(':')[3]}:not_done"
    query = await natalia.press_data(f"{forged}:{natalia_window}", nat_screen.message_id)
    assert "Немає доступу" in str((await callback_answer(natalia, query)).get("text"))
    answers = await stored_answers(zvit)
    assert [a.status for a in answers.values()] == [MeasureStatus.DONE]  # type: ignore[attr-defined]


async def test_a_forged_status_for_another_measure_on_the_live_screen_is_refused(
    zvit: World,
) -> None:
    """Quarter's edges, case 14: a button may change only what its screen shows."""
    [olena] = await ready(zvit, OLENA)
    screen = await start(olena)  # measure 1.1 on the live message
    report, first, _, window = screen.button("❌ Не виконано")[1].split(":")[2:6]
    other = int(first) + 5  # another measure of her own report

    query = await olena.press_data(f"q1:st:{report}:{other}:not_done:{window}", screen.message_id)

    assert "не діють" in str((await callback_answer(olena, query)).get("text"))
    assert await stored_answers(zvit) == {}


async def test_wrong_message_types_get_guidance_and_change_nothing(zvit: World) -> None:
    [olena] = await ready(zvit, OLENA)
    screen = await start(olena)
    await olena.send_sticker()
    assert "вибір стану" in (await olena.next_message()).text
    await olena.send_voice()
    assert "не приймає" in (await olena.next_message()).text
    await olena.send("Просто текст без вибору стану")
    assert "Спочатку оберіть стан" in (await olena.next_message()).text
    assert await stored_answers(zvit) == {}
    del screen


async def test_buttons_of_a_closed_round_are_refused(zvit: World) -> None:
    [olena] = await ready(zvit, OLENA)
    screen = await start(olena)
    coordinator = await zvit.coordinator()
    await coordinator.send("/round")
    await close_round(coordinator, await coordinator.next_message())
    query = await olena.press("✅ Виконано", screen)
    assert "Збір звітів закрито" in str((await callback_answer(olena, query)).get("text"))
    assert await stored_answers(zvit) == {}


async def test_evidence_over_twenty_megabytes_is_refused_and_not_kept(zvit: World) -> None:
    [olena] = await ready(zvit, OLENA)
    screen = await start(olena)
    await olena.press("✅ Виконано", screen)
    await olena.next_message()
    await olena.send_document("скан.pdf", b"%PDF" + bytes(20 * 1024 * 1024 + 1))
    refusal = await olena.next_message()
    assert "Файл завеликий: можна надсилати до 20 МБ" in refusal.text
    assert "Нічого не збережено" in refusal.text
    async with zvit.db.reading() as conn:
        rows = await fetch_all(conn, "SELECT COUNT(*) FROM attachments")
    assert rows[0][0] == 0


async def test_extending_the_deadline_tells_those_who_have_not_handed_in(zvit: World) -> None:
    olena, natalia = await ready(zvit, OLENA, NATALIA)
    await submit_everything(natalia)
    await olena.next_message()  # her invitation
    coordinator = await zvit.coordinator()
    await wait_for(coordinator, "Звіт подано")
    await coordinator.send("/round")
    controls = await coordinator.next_message()
    await coordinator.press("Продовжити строк на 7 дн.", controls)
    updated = await coordinator.next_message()
    assert updated.edited and "01.04.2026 (середа)" in updated.text
    assert "продовжено до 01.04.2026 (середа)" in (await olena.next_message()).text
    assert not any("продовжено" in m.text for m in await natalia.pending())
    async with zvit.db.reading() as conn:
        round_ = await round_rows.latest_round(conn)
    assert round_ is not None and round_.deadline.isoformat() == "2026-04-01"


async def test_a_substitute_hears_of_an_extension_once_with_every_organisation(
    zvit: World,
) -> None:
    """Quarter's edges, case 5: one notice per person, naming each organisation it concerns."""
    [natalia] = await ready(zvit, NATALIA)
    coordinator = await zvit.coordinator()
    for edrpou in ("44102318", "44103421"):
        await coordinator.send(f"/assign {edrpou} 4")
        await coordinator.next_message()
    await coordinator.send("/round")
    await coordinator.press("Продовжити строк на 7 дн.", await coordinator.next_message())
    await coordinator.next_message()

    notice = await wait_for(natalia, "продовжено до 01.04.2026")
    for name in ("Ліцей № 7", "КП «Міськводоканал»", "КП «Вербівтепло»"):
        assert name in notice.text
    await zvit.settled()
    later = [m for m in await natalia.pending() if "продовжено" in m.text]
    assert later == []


async def test_a_lone_dot_is_not_a_description_of_work_done(zvit: World) -> None:
    """Quarter's edges, case 3: «.» or one word is refused with the reason; nothing is saved."""
    [olena] = await ready(zvit, OLENA)
    screen = await start(olena)
    await olena.press("✅ Виконано", screen)
    assert "Напишіть одним повідомленням" in (await olena.next_message()).text

    for thin in (".", "Так", "- 5 +"):
        await olena.send(thin)
        refusal = await olena.next_message()
        assert "замало, щоб відділ зрозумів, що зроблено" in refusal.text, thin
    answers = await stored_answers(zvit)
    assert all(getattr(a, "narrative", "") == "" for a in answers.values())

    await olena.send("Проведено нараду")
    await next_screen(olena)
    assert "Проведено нараду" in [
        getattr(a, "narrative", "") for a in (await stored_answers(zvit)).values()
    ]

"""The coordinator's /status: counts, deadline, a paged list, opening a report, one-tap nudge."""

from __future__ import annotations

import pytest

from emulator.client import BotMessage, SimUser
from services import status
from tests.e2e.harness import World, callback_answer
from tests.e2e.test_questionnaire import (
    NATALIA,
    OLENA,
    answer_measure,
    ready,
    start,
    submit_everything,
)

REMIND = "🔔 Нагадати всім, хто не подав"
CONTINUE = "Заповнити звіт"


async def one_submitted_one_drafting(zvit: World) -> tuple[SimUser, SimUser, SimUser]:
    olena, natalia = await ready(zvit, OLENA, NATALIA)
    coordinator = await zvit.coordinator()
    await submit_everything(olena)
    await coordinator.next_message()  # the review notice
    await answer_measure(natalia, await start(natalia), "✅ Виконано", "Почала звіт")
    return coordinator, olena, natalia


async def nudge_for(user: SimUser) -> BotMessage:
    """The next message carrying the «Заповнити звіт» button (skipping questionnaire edits)."""
    while not (message := await user.next_message()).has_button(CONTINUE):
        pass
    return message


async def test_status_counts_each_state_with_the_deadline(zvit: World) -> None:
    coordinator, _, _ = await one_submitted_one_drafting(zvit)

    await coordinator.send("/status")
    screen = await coordinator.next_message()

    text = screen.text
    assert "Стан збору звітів за I квартал 2026 року" in text
    assert "Строк подання: 25.03.2026 (середа) — залишилося 23 дні" in text
    assert "Подано: 1 з 14 (7\u00a0%)" in text
    assert "📨 подано, чекають перевірки — 1" in text
    assert "✏️ заповнюються — 1" in text
    assert "⬜ ще не розпочали — 12" in text
    assert "✅ прийнято — 0" in text and "⏰ подано із запізненням — 0" in text
    assert "1. 📨 КП «Міськводоканал»" in text and "4. ✏️ Ліцей № 7" in text
    assert "14. ⬜ КУ «Міський архів»" in text
    assert screen.button_texts()[:4] == ["1 📨", "2 ⬜", "3 ⬜", "4 ✏️"]
    assert screen.button_texts()[-1] == REMIND


async def test_status_pages_are_turned_in_place(
    zvit: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(status, "PAGE_SIZE", 5)
    coordinator, _, _ = await one_submitted_one_drafting(zvit)
    await coordinator.send("/status")
    first = await coordinator.next_message()
    assert "сторінка 1 з 3" in first.text and "6." not in first.text

    await coordinator.press("Далі »", first)
    second = await coordinator.next_message()

    assert second.edited and second.message_id == first.message_id
    assert "сторінка 2 з 3" in second.text
    assert "6. ⬜ ЗДО № 12 «Сонечко»" in second.text and "1. 📨" not in second.text
    numbers = ["6 ⬜", "7 ⬜", "8 ⬜", "9 ⬜", "10 ⬜"]
    assert second.button_texts() == [*numbers, "« Назад", "Далі »", REMIND]


async def test_a_button_in_the_list_opens_the_report_for_review(zvit: World) -> None:
    coordinator, _, _ = await one_submitted_one_drafting(zvit)
    await coordinator.send("/status")
    screen = await coordinator.next_message()

    await coordinator.press("1 📨", screen)
    report = await coordinator.next_message()

    assert "КП «Міськводоканал» — звіт за" in report.text
    assert "✅ Прийняти" in report.button_texts()
    await coordinator.press("✅ Прийняти", report)
    await coordinator.next_message()
    await coordinator.send("/status")
    assert "✅ прийнято — 1" in (await coordinator.next_message()).text


async def test_a_report_being_filled_shows_no_accept_or_return(zvit: World) -> None:
    """Quarter's edges, case 2: «Прийняти» and «Повернути» only where they can act."""
    coordinator, _, _ = await one_submitted_one_drafting(zvit)
    await coordinator.send("/status")
    screen = await coordinator.next_message()

    await coordinator.press("4 ✏️", screen)
    drafting = await coordinator.next_message()

    assert "Ліцей № 7 — звіт за" in drafting.text
    assert drafting.button_texts() == ["🕓 Історія"]
    await coordinator.press("1 📨", screen)
    submitted = await coordinator.next_message()
    assert submitted.button_texts() == [
        "✅ Прийняти", "↩ Повернути на доопрацювання", "📄 Звіт організації (DOCX)", "🕓 Історія",
    ]  # fmt: skip


async def test_remind_nudges_each_person_who_has_not_submitted_once_a_day(zvit: World) -> None:
    coordinator, olena, natalia = await one_submitted_one_drafting(zvit)
    await coordinator.send("/status")
    screen = await coordinator.next_message()

    await coordinator.press(REMIND, screen)
    result = await coordinator.next_message()

    assert "поставлено в чергу — 1" in result.text
    assert "зателефонуйте" in result.text and "КП «Вербівтепло»" in result.text
    assert "КП «Міськводоканал»" not in result.text and "Ліцей № 7" not in result.text
    nudge = await nudge_for(natalia)
    assert "Ліцей № 7" in nudge.text and "ще не подано" in nudge.text
    await natalia.press(CONTINUE, nudge)
    assert "Захід 2 з 13" in (await natalia.next_message()).text

    query = await coordinator.press(REMIND, screen)
    await callback_answer(coordinator, query)
    again = await coordinator.next_message()
    assert "поставлено в чергу — 0" in again.text and "уже нагадано сьогодні — 1" in again.text
    assert not [m for m in await olena.pending() if m.has_button(CONTINUE)]


async def test_status_before_any_round_and_for_a_person(zvit: World) -> None:
    coordinator = await zvit.coordinator()
    await coordinator.send("/status")
    assert "Ще не було жодного збору звітів" in (await coordinator.next_message()).text

    [olena] = await ready(zvit, OLENA)
    await olena.next_message()  # the round invitation
    await olena.send("/status")
    assert "лише працівникам відділу" in (await olena.next_message()).text

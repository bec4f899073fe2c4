"""Quarter's edges, case 20: the audit trail becomes a history people can read."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.__main__ import main
from demo.people import submit, wait_for
from tests.e2e.harness import World
from tests.e2e.test_questionnaire import OLENA, ready, submit_everything

COMMENT = "Додайте дати навчань і кількість <учасників>."


async def returned_resubmitted_and_accepted(zvit: World) -> None:
    [olena] = await ready(zvit, OLENA)
    coordinator = await zvit.coordinator()
    await submit_everything(olena)
    notice = await coordinator.next_message()
    await coordinator.press("↩ Повернути на доопрацювання", notice)
    await coordinator.next_message()
    await coordinator.send(COMMENT)
    await coordinator.next_message()
    returned = await wait_for(olena, "повернуто на доопрацювання")
    await olena.press("Виправити звіт", returned)
    await submit(olena, await olena.next_message())
    # Handed in again within half an hour: counted in the next tally, decided from the queue.
    await coordinator.send("/review")
    second = await wait_for(coordinator, "Версія 2")
    await coordinator.press("✅ Прийняти", second)
    await coordinator.next_message()


async def test_the_review_card_and_the_person_show_who_did_what_and_when(zvit: World) -> None:
    await returned_resubmitted_and_accepted(zvit)
    coordinator = await zvit.coordinator()
    await coordinator.send("/status")
    await coordinator.press("1 ✅", await coordinator.next_message())
    card = await coordinator.next_message()

    await coordinator.press("🕓 Історія", card)
    history = (await coordinator.next_message()).text

    lines = history.splitlines()
    assert lines[0] == "Історія звіту: КП «Міськводоканал» · I квартал 2026 року"
    assert "відкрито збір звітів, строк 25.03.2026" in lines[1]
    assert "подано версію 1 (Олена Петрівна Гнатюк)" in lines[2]
    assert f"повернуто на доопрацювання: «{COMMENT}»" in lines[3]
    assert "подано версію 2 (Олена Петрівна Гнатюк)" in lines[4]
    assert lines[5].endswith("— прийнято")

    olena = zvit.users[OLENA[1]]
    await olena.send("/history")
    assert (await wait_for(olena, "Історія звіту")).text == history


async def test_the_shell_prints_the_same_history(
    zvit: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    await returned_resubmitted_and_accepted(zvit)
    monkeypatch.setenv("DATABASE_PATH", str(Path(zvit.db_path)))
    await zvit.stop_bot()

    args = ["audit", "--enterprise", "44102318", "--period", "2026Q1"]
    assert await asyncio.to_thread(main, args) == 0
    printed = capsys.readouterr().out
    assert "подано версію 2 (Олена Петрівна Гнатюк)" in printed and COMMENT in printed
    assert await asyncio.to_thread(main, ["audit", "--enterprise", "00000000"]) == 1

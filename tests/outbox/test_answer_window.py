"""The sender's window: a request starts only a Telegram second after an earlier one's answer.

Telegram counts a request somewhere between its start and its answer. The checks below let it
pick the worst moment for each request, so they hold whatever Telegram's stamps were.
"""

from __future__ import annotations

import asyncio
import random

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiogram.methods import GetUpdates, SendMessage

from scheduler.pacing import AnswerWindow, Pacing, in_background, install_pacing, slots_for


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def worst_second(spans: list[tuple[float, float]], second: float = 1.0) -> int:
    """The most requests Telegram could have counted in one second, stamps chosen adversarially.

    A set of requests fits one second if the last start is less than a second after every
    answer: take each request as the last to start and count those answered after it minus 1 s.
    """
    worst = 0
    for start, _ in spans:
        together = sum(1 for s, a in spans if s <= start and a > start - second)
        worst = max(worst, together)
    return worst


def test_the_31st_start_waits_for_the_first_answer_and_a_second() -> None:
    clock = FakeMonotonic()
    window = AnswerWindow(30, monotonic=clock)
    tickets = [window.start() for _ in range(30)]
    assert window.delay() is None  # 30 in flight: wait for an answer, however long
    clock.now = 100.2
    window.answer(tickets[0])
    clock.now = 100.5
    for ticket in tickets[1:]:
        window.answer(ticket)
    clock.now = 100.6
    assert window.delay() == pytest.approx(0.6)  # the first answer (100.2) + 1 s
    assert window.free() == 0
    clock.now = 101.2
    assert window.delay() == 0.0 and window.free() == 1
    clock.now = 101.5
    assert window.free() == 30


def test_a_slow_answer_holds_its_place_until_it_comes_back() -> None:
    clock = FakeMonotonic()
    window = AnswerWindow(2, monotonic=clock)
    slow, quick = window.start(), window.start()
    clock.now += 0.01
    window.answer(quick)
    clock.now += 5.0  # the slow one is still out: one place only
    assert window.free() == 1
    window.start()
    assert window.delay() is None
    window.answer(slow)
    assert window.delay() == pytest.approx(1.0)  # its place frees a second after its answer


def test_an_answer_is_recorded_once() -> None:
    clock = FakeMonotonic()
    window = AnswerWindow(1, monotonic=clock)
    ticket = window.start()
    window.answer(ticket)
    clock.now += 1.0
    window.answer(ticket)  # a second call changes nothing
    assert window.free() == 1 and window.in_flight == 0


@pytest.mark.parametrize("error", [TelegramServerError, TelegramNetworkError, TimeoutError])
async def test_a_failed_request_counts_as_answered_when_it_comes_back(
    error: type[Exception],
) -> None:
    clock = FakeMonotonic()
    window = AnswerWindow(1, monotonic=clock)
    pacing = Pacing(window)
    bot = Bot("42:fake-token")
    method = SendMessage(chat_id=1, text="x")

    async def fails(_bot: Bot, _method: object) -> object:
        assert window.in_flight == 1  # the place was taken before the request went out
        clock.now += 3.0  # a 502 or a timeout after three seconds
        if error is TimeoutError:
            raise TimeoutError
        raise error(method=method, message="Bad Gateway")  # type: ignore[call-arg]

    with pytest.raises(error):
        await pacing(fails, bot, method)  # type: ignore[arg-type]
    assert window.in_flight == 0
    assert window.delay() == pytest.approx(1.0)  # anchored at its answer, not its start
    await bot.session.close()


async def test_unmetered_calls_such_as_the_long_poll_take_no_place() -> None:
    window = AnswerWindow(1, monotonic=FakeMonotonic())
    window.start()  # full
    bot = Bot("42:fake-token")

    async def polled(_bot: Bot, _method: object) -> str:
        return "updates"

    assert await Pacing(window)(polled, bot, GetUpdates(timeout=30)) == "updates"  # type: ignore[arg-type]
    await bot.session.close()


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("callers", [2, 8, 40])
def test_concurrent_callers_never_put_31_requests_in_one_second(seed: int, callers: int) -> None:
    """Callers start whenever the window lets them; answers take 1 ms to 3 s, some failing."""
    rng = random.Random(seed)
    clock = FakeMonotonic()
    window = AnswerWindow(30, monotonic=clock)
    spans: list[tuple[float, float]] = []
    out: list[tuple[float, float, object]] = []  # (answer time, start, ticket)
    idle = callers
    for _ in range(10_000):  # ten seconds in steps of a millisecond
        for item in [o for o in out if o[0] <= clock.now]:
            out.remove(item)
            window.answer(item[2])  # type: ignore[arg-type]
            spans.append((item[1], clock.now))
            idle += 1
        while idle and window.delay() == 0.0:
            idle -= 1
            latency = rng.choice([0.001, 0.005, 0.03, 0.2]) if rng.random() > 0.05 else 3.0
            out.append((clock.now + latency, clock.now, window.start()))
        clock.now += 0.001
    spans.extend((start, float("inf")) for _, start, _ in out)  # still out: never answered
    assert worst_second(spans) <= 30
    assert len(spans) > 40  # it does send


def test_instant_answers_give_thirty_per_second() -> None:
    clock = FakeMonotonic()
    window = AnswerWindow(30, monotonic=clock)
    started = 0
    for _ in range(10_000):  # ten seconds in steps of a millisecond
        while window.delay() == 0.0:
            window.answer(window.start())
            started += 1
        clock.now += 0.001
    assert 290 <= started <= 300


def test_a_429_pauses_and_halves_and_successes_bring_the_places_back() -> None:
    clock = FakeMonotonic()
    window = AnswerWindow(30, monotonic=clock)
    window.slow_down(5.0)
    assert window.slots == 15 and window.delay() == pytest.approx(5.0)
    for _ in range(15):
        window.recover()
    assert window.slots == 30


async def test_a_persons_reply_goes_before_waiting_background_sends() -> None:
    clock = FakeMonotonic()
    window = AnswerWindow(1, monotonic=clock)
    first = window.start()
    with in_background():
        outbox = asyncio.create_task(window.acquire(urgent=False))
    reply = asyncio.create_task(window.acquire(urgent=True))
    for _ in range(3):
        await asyncio.sleep(0)  # both are waiting for the one place
    assert not outbox.done() and not reply.done()
    window.answer(first)
    clock.now += 1.0  # its place is free again before either wakes
    for _ in range(3):
        await asyncio.sleep(0)
    assert reply.done() and not outbox.done()
    window.answer(reply.result())
    clock.now += 1.0
    for _ in range(3):
        await asyncio.sleep(0)
    assert outbox.done()


async def test_one_window_per_bot_shared_by_every_caller() -> None:
    bot = Bot("42:fake-token")
    window = install_pacing(bot, rate_per_second=300, telegram_second=0.1)
    assert install_pacing(bot, rate_per_second=5) is window  # the second caller shares it
    assert window.slots == 30 == slots_for(300, 0.1)
    assert sum(isinstance(m, Pacing) for m in bot.session.middleware) == 1
    await bot.session.close()

"""The sender's pacing: at most the rate in any one of Telegram's seconds, pauses or not."""

from __future__ import annotations

import pytest

from scheduler.pacing import TokenBucket


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def busiest_window(stamps: list[float], window: float) -> int:
    return max(sum(1 for other in stamps if start <= other < start + window) for start in stamps)


@pytest.mark.parametrize(("rate", "window"), [(29.0, 1.0), (25.0, 1.0), (58.0, 0.5)])
async def test_no_window_gets_more_than_its_share_even_after_pauses(
    rate: float, window: float
) -> None:
    clock = FakeMonotonic()
    bucket = TokenBucket(rate, window=window, monotonic=clock)
    taken: list[float] = []
    for _ in range(8):
        clock.now += 0.3  # the event loop was busy: a full burst has built up
        for _ in range(1500):  # then a steady drain, asking every millisecond
            taken.extend([clock.now] * await bucket.take(8, deadline=clock.now))
            clock.now += 0.001
    assert busiest_window(taken, window) <= int(rate * window)


async def test_a_steady_drain_sends_at_the_full_rate() -> None:
    clock = FakeMonotonic()
    bucket = TokenBucket(29.0, monotonic=clock)
    sent = 0
    for _ in range(10_000):  # ten seconds in steps of a millisecond
        sent += await bucket.take(8, deadline=clock.now)
        clock.now += 0.001
    assert 285 <= sent <= 290


async def test_tokens_given_back_free_their_place_in_the_window() -> None:
    clock = FakeMonotonic()
    bucket = TokenBucket(10.0, monotonic=clock)
    for _ in range(10):  # the window's ten places, one token at a time
        assert await bucket.take(1, deadline=clock.now) == 1
        clock.now += 0.11
    clock.now -= 0.11
    assert await bucket.take(1, deadline=clock.now) == 0  # full until the first one leaves
    bucket.give_back(1)  # the last one was not used after all
    assert await bucket.take(1, deadline=clock.now) == 1

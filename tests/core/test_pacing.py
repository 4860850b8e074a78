from __future__ import annotations

import asyncio

import pytest

from bot.pacing import Pacer


class FakeMonotonic:
    """Time that moves only when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.now += delay
        await asyncio.sleep(0)


@pytest.fixture
def ticking() -> FakeMonotonic:
    return FakeMonotonic()


async def test_a_burst_goes_out_at_once(ticking: FakeMonotonic) -> None:
    pacer = Pacer(40, burst=10, monotonic=ticking, sleep=ticking.sleep)
    for _ in range(10):
        await pacer.wait()
    assert ticking.now == 0


async def test_after_the_burst_sends_are_spaced_at_the_rate(ticking: FakeMonotonic) -> None:
    pacer = Pacer(40, burst=10, monotonic=ticking, sleep=ticking.sleep)
    for _ in range(10 + 80):
        await pacer.wait()
    assert ticking.now == pytest.approx(80 / 40)


async def test_idle_time_refills_only_up_to_the_burst(ticking: FakeMonotonic) -> None:
    pacer = Pacer(40, burst=5, monotonic=ticking, sleep=ticking.sleep)
    ticking.now = 100.0
    for _ in range(6):
        await pacer.wait()
    assert ticking.now == pytest.approx(100 + 1 / 40)


def test_nonsense_rates_are_refused() -> None:
    with pytest.raises(ValueError):
        Pacer(0)

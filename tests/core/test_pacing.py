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


async def sent_times(pacer: Pacer, ticking: FakeMonotonic, count: int) -> list[float]:
    times = []
    for _ in range(count):
        await pacer.wait()
        times.append(ticking.now)
    return times


@pytest.mark.parametrize("rate", [1, 7, 40, 48, 50])
async def test_no_window_of_one_second_ever_holds_more_than_the_rate(
    ticking: FakeMonotonic, rate: int
) -> None:
    """The old token bucket let rate + burst through in a second (429s above 40/s)."""
    pacer = Pacer(rate, monotonic=ticking, sleep=ticking.sleep)
    times = await sent_times(pacer, ticking, rate * 4)
    for i, start in enumerate(times):
        in_window = [t for t in times[i:] if t < start + 1.0]
        assert len(in_window) <= rate


async def test_a_steady_stream_runs_at_nearly_the_rate(ticking: FakeMonotonic) -> None:
    pacer = Pacer(50, monotonic=ticking, sleep=ticking.sleep)
    times = await sent_times(pacer, ticking, 500)
    assert 500 / times[-1] >= 0.95 * 50


async def test_idle_time_does_not_build_a_burst_beyond_the_rate(ticking: FakeMonotonic) -> None:
    pacer = Pacer(10, monotonic=ticking, sleep=ticking.sleep)
    ticking.now = 100.0
    times = await sent_times(pacer, ticking, 11)
    assert times[9] == 100.0
    assert times[10] > 101.0


async def test_hold_stops_everything_for_a_while(ticking: FakeMonotonic) -> None:
    pacer = Pacer(10, monotonic=ticking, sleep=ticking.sleep)
    pacer.hold(30)
    await pacer.wait()
    assert ticking.now == pytest.approx(30)
    assert pacer.requests == 1


def test_nonsense_rates_are_refused() -> None:
    with pytest.raises(ValueError):
        Pacer(0)

from __future__ import annotations

import asyncio
import itertools

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


async def test_idle_time_does_not_build_a_burst(ticking: FakeMonotonic) -> None:
    pacer = Pacer(10, monotonic=ticking, sleep=ticking.sleep)
    ticking.now = 100.0
    times = await sent_times(pacer, ticking, 3)
    assert times[0] == 100.0
    assert times[1] == pytest.approx(100.0 + pacer.interval)
    assert pacer.interval > 1 / 10


async def test_a_stall_is_not_made_up_in_a_burst(ticking: FakeMonotonic) -> None:
    """A request that left late (the event loop stalled) must not let the ones behind it leave
    back to back: with the first of a window late and the last on time, the window would hold
    more than the limit."""
    stalls = [0.2]

    async def stalling_sleep(delay: float) -> None:
        # The first sleep wakes 200 ms late, as when the event loop was busy elsewhere.
        await ticking.sleep(delay + (stalls.pop() if stalls else 0.0))

    pacer = Pacer(25, monotonic=ticking, sleep=stalling_sleep)
    await pacer.wait()
    times = await sent_times(pacer, ticking, 4)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(gap >= pacer.interval - 0.003 for gap in gaps), gaps


async def test_hold_stops_everything_for_a_while(ticking: FakeMonotonic) -> None:
    pacer = Pacer(10, monotonic=ticking, sleep=ticking.sleep)
    pacer.hold(30)
    await pacer.wait()
    assert ticking.now == pytest.approx(30)
    assert pacer.requests == 1


def test_nonsense_rates_are_refused() -> None:
    with pytest.raises(ValueError):
        Pacer(0)


def test_only_rest_requests_under_the_bot_token_are_paced() -> None:
    import discord
    import yarl

    from bot.app import paced_request

    base = discord.http.Route.BASE
    assert paced_request(yarl.URL(f"{base}/channels/1/messages"))
    assert paced_request(yarl.URL(f"{base}/users/@me/channels"))
    assert not paced_request(yarl.URL(f"{base}/interactions/1/tok/callback"))
    assert not paced_request(yarl.URL(f"{base}/webhooks/1/tok/messages/@original"))
    assert not paced_request(yarl.URL("wss://gateway.discord.gg/?v=10"))
    assert not paced_request(yarl.URL("https://cdn.discordapp.com/avatars/1/a.png"))


async def test_a_borrowed_rate_ends_on_its_own_at_its_instant(ticking: FakeMonotonic) -> None:
    """A fleet process borrowing a neighbour's part (bot/fleet/budget.py) must fall back when
    the neighbour's promise ends, even if nothing tells it to: no window after the end holds
    more than the slower rate allows."""
    pacer = Pacer(10, monotonic=ticking, sleep=ticking.sleep)
    pacer.set_rate(40, until=2.0, then=10)
    times = await sent_times(pacer, ticking, 100)
    before = [t for t in times if t < 2.0]
    assert len(before) >= 70  # about 40 a second while borrowed
    after = [t for t in times if t >= 2.0]
    for i, start in enumerate(after):
        assert len([t for t in after[i:] if t < start + 1.0]) <= 10
    # The first request at the slower rate is spaced from the last fast one at the slow pace.
    assert after[0] - before[-1] >= pacer.interval - 1e-9
    assert pacer.rate == 10


async def test_slowing_down_spaces_the_next_request_at_the_new_rate(
    ticking: FakeMonotonic,
) -> None:
    pacer = Pacer(50, monotonic=ticking, sleep=ticking.sleep)
    await pacer.wait()
    sent = ticking.now
    pacer.set_rate(5)
    await pacer.wait()
    assert ticking.now - sent == pytest.approx(pacer.interval)
    assert pacer.interval > 1 / 5


def test_a_borrowed_rate_is_refused_without_a_positive_fallback() -> None:
    with pytest.raises(ValueError):
        Pacer(10).set_rate(20, until=1.0, then=0)

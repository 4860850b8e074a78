"""Sharing the token's rate limit (bot/fleet/budget.py): pure rules, then the invariant that
the live processes' paces never add up past the limit, whatever each has seen."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.fleet import budget
from bot.fleet.budget import MARGIN_SECONDS, Neighbour, plan, promise_until

LIMIT = 50.0
NOW = 1_000_000.0


def test_alone_or_with_busy_neighbours_a_process_paces_at_its_own_share() -> None:
    p = plan(limit=LIMIT, own_share=0.5, shard_count=4, neighbours={}, promise=0, now=NOW)
    assert (p.rate, p.until, p.then) == (25.0, None, 25.0)
    busy = {"b": Neighbour(2, 0)}
    p = plan(limit=LIMIT, own_share=0.5, shard_count=4, neighbours=busy, promise=0, now=NOW)
    assert p.rate == 25.0


def test_a_promising_process_keeps_a_tenth_until_its_promise_ends() -> None:
    p = plan(limit=LIMIT, own_share=0.5, shard_count=4, neighbours={}, promise=NOW + 9, now=NOW)
    assert p.rate == 2.5 and p.until == NOW + 9 and p.then == 25.0
    # Never below one request a second (a story shared now still goes out).
    p = plan(limit=LIMIT, own_share=0.1, shard_count=10, neighbours={}, promise=NOW + 9, now=NOW)
    assert p.rate == 1.0


def test_a_lender_s_part_is_split_among_the_busy_until_its_promise_less_the_margin() -> None:
    neighbours = {"idle": Neighbour(2, NOW + 10), "busy": Neighbour(1, 0)}
    p = plan(limit=LIMIT, own_share=0.25, shard_count=4, neighbours=neighbours, promise=0, now=NOW)
    # The idle one's 25/s less the 2.5 it keeps, over the two busy processes.
    assert p.rate == 12.5 + 22.5 / 2
    assert p.until == NOW + 10 - MARGIN_SECONDS and p.then == 12.5


def test_a_promise_about_to_end_is_no_longer_counted() -> None:
    neighbours = {"idle": Neighbour(2, NOW + MARGIN_SECONDS - 0.1)}
    p = plan(limit=LIMIT, own_share=0.5, shard_count=4, neighbours=neighbours, promise=0, now=NOW)
    assert p.rate == 25.0


def test_only_a_process_whose_next_work_is_far_enough_promises() -> None:
    assert promise_until(NOW, NOW + budget.MIN_IDLE_SECONDS - 0.5) is None
    assert promise_until(NOW, NOW + 7) == NOW + 7  # never past its next work
    assert promise_until(NOW, None) == NOW + budget.PROMISE_SECONDS
    assert promise_until(NOW, NOW + 3600) == NOW + budget.PROMISE_SECONDS


@st.composite
def fleets(draw: st.DrawFn) -> tuple[list[int], list[float], list[list[bool]]]:
    """Shards per process, each process's promise (0: none), and what each process has seen
    of each other's promise (a stale view misses a promise made since its last poll)."""
    n = draw(st.integers(1, 6))
    shards = draw(st.lists(st.integers(1, 4), min_size=n, max_size=n))
    promises = draw(
        st.lists(
            st.sampled_from([0.0, NOW - 5, NOW + 1, NOW + 2.5, NOW + 9]), min_size=n, max_size=n
        )
    )
    seen = draw(st.lists(st.lists(st.booleans(), min_size=n, max_size=n), min_size=n, max_size=n))
    return shards, promises, seen


@settings(max_examples=400, deadline=None)
@given(fleets())
def test_the_fleet_never_paces_past_the_limit_whatever_each_has_seen(
    fleet: tuple[list[int], list[float], list[list[bool]]],
) -> None:
    shards, promises, seen = fleet
    count = sum(shards)
    total = 0.0
    for me, mine in enumerate(shards):
        neighbours = {
            str(other): Neighbour(theirs, promises[other] if seen[me][other] else 0.0)
            for other, theirs in enumerate(shards)
            if other != me
        }
        p = plan(
            limit=LIMIT,
            own_share=mine / count,
            shard_count=count,
            neighbours=neighbours,
            promise=promises[me],
            now=NOW,
        )
        total += p.rate
    # Each process's own share is at least 1/s (LIMIT / count >= 1 here), so the shares add up
    # to the limit exactly, and lending only moves them.
    assert total <= LIMIT + 1e-9

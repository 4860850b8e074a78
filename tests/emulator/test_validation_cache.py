"""The emulator remembers what it concluded about a body it already checked (the bot syncs the
same command list at every start): the same answer, faster, and never a shared list."""

from __future__ import annotations

import time

from fakecord.validation import Spec

ROUTE = ("PUT", "/applications/{application_id}/commands")
GOOD = [{"name": f"cmd{n}", "description": "A command.", "type": 1} for n in range(60)]
BAD = [{"name": "x" * 40, "description": "", "type": 1}]


def test_a_body_checked_again_gets_the_same_answer(spec: Spec) -> None:
    first = spec.check_request(*ROUTE, BAD)
    assert first, "the bad command list passed the schema"
    again = spec.check_request(*ROUTE, BAD)
    assert [str(p) for p in again] == [str(p) for p in first]
    again[0].path.append("changed")  # the caller's copy, not the remembered one
    assert [str(p) for p in spec.check_request(*ROUTE, BAD)] == [str(p) for p in first]
    assert spec.check_request(*ROUTE, GOOD) == []
    # the same keys in another order are the same body
    assert spec.check_request(*ROUTE, [dict(reversed(list(c.items()))) for c in BAD]) != []


def test_a_body_checked_again_is_not_checked_again(spec: Spec) -> None:
    body = [{**c, "description": "Another command."} for c in GOOD]
    start = time.perf_counter()
    spec.check_request(*ROUTE, body)
    first = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(10):
        spec.check_request(*ROUTE, body)
    assert (time.perf_counter() - start) / 10 < first

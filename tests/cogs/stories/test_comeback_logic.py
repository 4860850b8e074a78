"""The comeback's pure rules: what an update needs, its kinds, what could identify its author."""

from __future__ import annotations

from cogs.stories import comeback_logic as cb


def test_blank_short_and_overlong_updates_are_refused() -> None:
    assert cb.refusal("   \u200b ") == cb.EMPTY
    assert cb.refusal("ok!") == cb.TOO_SHORT
    assert cb.refusal("https://example.com <@123>") == cb.TOO_SHORT  # no words of its own
    assert cb.refusal("a" * (cb.UPDATE_MAX_CHARS + 1)) == cb.TOO_LONG
    assert cb.refusal("I got the offer!") is None


def test_an_unknown_kind_is_doing_better() -> None:
    assert cb.kind_of("offer") == "offer"
    assert cb.kind_of("hacked") == cb.DEFAULT_KIND
    assert cb.kind_of(None) == cb.DEFAULT_KIND
    assert set(cb.KIND_LABELS) == set(cb.KIND_CARDS) == {k for k, _, _ in cb.KINDS}


def test_identifying_details_are_found_as_in_a_story() -> None:
    assert cb.nudges("Write me at sam@example.com") == ("email",)
    assert cb.nudges("Started on March 3, 2026, call +1 555 123 4567") == ("phone", "date")
    assert cb.nudges("Doing better, thank you all") == ()

"""Tests for the pure affirmations logic: deck rotation and the server's own texts."""

from __future__ import annotations

import itertools
import json
import random

import pytest

from cogs.affirmations.logic import (
    Deck,
    InvalidInput,
    draw,
    is_duplicate,
    normalize_for_duplicate_check,
    one_line,
    validate_custom_text,
)

# --------------------------------------------------------------------------------------------
# Deck
# --------------------------------------------------------------------------------------------


def draw_many(
    deck: Deck, pool: list[str], rng: random.Random, count: int
) -> tuple[list[str], Deck]:
    shown: list[str] = []
    for _ in range(count):
        item, deck = draw(deck, pool, rng)
        shown.append(item)
    return shown, deck


@pytest.mark.parametrize("size", [2, 3, 5, 12])
@pytest.mark.parametrize("seed", range(40))
def test_two_full_cycles_are_permutations_without_a_seam_repeat(size: int, seed: int) -> None:
    pool = [f"ay-{index:03d}" for index in range(size)]
    shown, _ = draw_many(Deck.empty(), pool, random.Random(seed), 2 * size)
    first, second = shown[:size], shown[size:]
    assert sorted(first) == sorted(pool)
    assert sorted(second) == sorted(pool)
    assert second[0] != first[-1]


def test_a_cycle_shows_every_item_exactly_once() -> None:
    pool = [f"ay-{index:03d}" for index in range(30)] + ["c:1", "c:2"]
    shown, deck = draw_many(Deck.empty(), pool, random.Random(7), len(pool))
    assert sorted(shown) == sorted(pool)
    assert deck.remaining == ()
    assert deck.drawn == frozenset(pool)


def test_new_cycles_start_with_a_fresh_drawn_set() -> None:
    pool = ["a", "b", "c"]
    _, deck = draw_many(Deck.empty(), pool, random.Random(1), 4)
    assert len(deck.drawn) == 1
    assert len(deck.remaining) == 2


def test_consecutive_draws_never_repeat_over_many_cycles() -> None:
    pool = ["a", "b", "c", "d"]
    for seed in range(50):
        shown, _ = draw_many(Deck.empty(), pool, random.Random(seed), 40)
        assert all(one != two for one, two in itertools.pairwise(shown))


def test_a_removed_id_is_never_drawn() -> None:
    pool = [f"ay-{index:03d}" for index in range(10)]
    rng = random.Random(3)
    _, deck = draw_many(Deck.empty(), pool, rng, 3)
    gone = deck.remaining[0]
    smaller = [item for item in pool if item != gone]
    shown, _ = draw_many(deck, smaller, rng, 30)
    assert gone not in shown


def test_an_added_id_is_drawn_before_the_cycle_ends() -> None:
    pool = [f"ay-{index:03d}" for index in range(10)]
    for seed in range(30):
        rng = random.Random(seed)
        first_part, deck = draw_many(Deck.empty(), pool, rng, 4)
        bigger = [*pool, "c:17"]
        rest, deck = draw_many(deck, bigger, rng, len(bigger) - 4)
        cycle = first_part + rest
        assert sorted(cycle) == sorted(bigger)
        assert deck.remaining == ()


def test_an_id_added_right_after_a_cycle_ends_comes_before_the_next_cycle() -> None:
    pool = ["a", "b", "c"]
    rng = random.Random(5)
    _, deck = draw_many(Deck.empty(), pool, rng, 3)
    item, _ = draw(deck, [*pool, "c:1"], rng)
    assert item == "c:1"


def test_an_id_removed_and_readded_is_not_repeated_within_the_cycle() -> None:
    pool = ["a", "b", "c", "d", "e"]
    rng = random.Random(11)
    shown, deck = draw_many(Deck.empty(), pool, rng, 2)
    without = [item for item in pool if item != shown[0]]
    more, deck = draw_many(deck, without, rng, 1)
    rest, _ = draw_many(deck, pool, rng, 2)
    cycle = shown + more + rest
    assert len(cycle) == len(set(cycle)) == 5


def test_single_item_pool_draws_that_item_every_time() -> None:
    shown, deck = draw_many(Deck.empty(), ["only"], random.Random(0), 3)
    assert shown == ["only", "only", "only"]
    assert deck.last_drawn == "only"


def test_empty_pool_raises() -> None:
    with pytest.raises(ValueError):
        draw(Deck.empty(), [], random.Random(0))


def test_duplicate_ids_in_the_pool_count_once() -> None:
    shown, _ = draw_many(Deck.empty(), ["a", "a", "b"], random.Random(0), 2)
    assert sorted(shown) == ["a", "b"]


def test_draw_is_reproducible_for_a_seed_whatever_the_pool_order() -> None:
    pool = [f"ay-{index:03d}" for index in range(8)]
    one, _ = draw_many(Deck.empty(), pool, random.Random(42), 16)
    two, _ = draw_many(Deck.empty(), list(reversed(pool)), random.Random(42), 16)
    assert one == two


def test_deck_json_round_trip() -> None:
    pool = ["ay-001", "ay-002", "c:17", "c:“é”"]
    _, deck = draw_many(Deck.empty(), pool, random.Random(9), 2)
    assert Deck.from_json(deck.to_json()) == deck


def test_deck_json_is_compact_and_stable() -> None:
    deck = Deck(remaining=("b", "a"), last_drawn="c", drawn=frozenset({"z", "c"}))
    text = deck.to_json()
    assert " " not in text
    assert json.loads(text) == {"drawn": ["c", "z"], "last": "c", "remaining": ["b", "a"], "v": 1}
    assert Deck(remaining=("b", "a"), last_drawn="c", drawn=frozenset({"c", "z"})).to_json() == text


def test_empty_deck_json_round_trip() -> None:
    assert Deck.from_json(Deck.empty().to_json()) == Deck.empty()


@pytest.mark.parametrize(
    "text", ["", "not json", "[]", '{"v": 2}', '{"v": 1, "remaining": [1]}', '{"v": 1, "last": 3}']
)
def test_deck_from_json_rejects_malformed_text(text: str) -> None:
    with pytest.raises(ValueError):
        Deck.from_json(text)


# --------------------------------------------------------------------------------------------
# Custom text
# --------------------------------------------------------------------------------------------


def test_validate_custom_text_trims_and_collapses_spaces_but_keeps_line_breaks() -> None:
    assert validate_custom_text("  You   are\n\nallowed\tto rest.  ") == "You are\nallowed to rest."


@pytest.mark.parametrize("text", ["\u200b" * 12, "\u200b \u200c\u200d\ufeff" * 4, "\u3164" * 11])
def test_validate_custom_text_refuses_text_with_nothing_visible(text: str) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        validate_custom_text(text)


def test_validate_custom_text_counts_a_flag_as_one_character() -> None:
    flags = "🇩🇪" * 300
    assert validate_custom_text(flags) == flags
    with pytest.raises(InvalidInput, match="301 characters"):
        validate_custom_text(flags + "🇫🇷")


def test_validate_custom_text_limits_the_number_of_lines() -> None:
    assert validate_custom_text("\n".join(["Line of hope"] * 6)).count("\n") == 5
    with pytest.raises(InvalidInput, match="7 lines"):
        validate_custom_text("\n".join(["Line of hope"] * 7))


def test_one_line_shows_line_breaks_as_slashes() -> None:
    assert one_line("Rest.\nThen try again.") == "Rest. / Then try again."


def test_validate_custom_text_accepts_the_length_bounds() -> None:
    assert validate_custom_text("a" * 10) == "a" * 10
    assert validate_custom_text("a" * 300) == "a" * 300


def test_validate_custom_text_too_long_gives_the_count() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_custom_text("a" * 312)
    assert str(caught.value) == (
        "That one is 312 characters — affirmations can be up to 300, "
        "so there's room to trim a little."
    )


def test_validate_custom_text_too_short_gives_the_count_and_an_example() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_custom_text("  I can  ")
    message = str(caught.value)
    assert "5 characters" in message
    assert "10" in message
    assert "“" in message


def test_validate_custom_text_counts_after_cleaning() -> None:
    # "I am ok!" is 8 characters once the padding and runs of spaces are collapsed.
    with pytest.raises(InvalidInput, match="8 characters"):
        validate_custom_text("  I   am  ok!   ")


def test_validate_custom_text_empty_is_refused_with_an_example() -> None:
    with pytest.raises(InvalidInput, match="“"):
        validate_custom_text(" \n ")


@pytest.mark.parametrize(
    "text",
    [
        "Hello @everyone, you matter today.",
        "Hey @here you are doing great.",
        "You matter, <@123456789012345678>.",
        "You matter, <@!123456789012345678>.",
        "The <@&123456789012345678> role is proud of you.",
        "Come share in <#123456789012345678> today.",
    ],
)
def test_validate_custom_text_rejects_mentions(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_custom_text(text)
    message = str(caught.value)
    assert "mention" in message
    assert "@everyone" not in message and "@here" not in message


def test_validate_custom_text_allows_an_email_like_at_sign() -> None:
    assert validate_custom_text("Write to me@example.com anytime.").startswith("Write")


def test_normalize_ignores_case_punctuation_and_whitespace() -> None:
    assert normalize_for_duplicate_check("You've got this!") == normalize_for_duplicate_check(
        "  youve   GOT this"
    )
    assert normalize_for_duplicate_check("You’ve got this.") == "youvegotthis"


def test_normalize_keeps_different_words_different() -> None:
    assert normalize_for_duplicate_check("You will rest.") != normalize_for_duplicate_check(
        "You can rest."
    )


def test_is_duplicate_finds_a_normalized_match() -> None:
    existing = ["A no is not a verdict on you.", "Rest is allowed."]
    assert is_duplicate("a NO is not a verdict on you", existing)
    assert not is_duplicate("A no is one afternoon.", existing)

"""The pure rules of anonymous stories: sanitiser, trimming, nudges, crisis words, labels."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cogs.stories.logic import (
    ACTIVE_MENTION,
    ELLIPSIS,
    INVITE_REMOVED,
    LINK_REMOVED,
    STAGES,
    Limits,
    anon_tag,
    close_spans,
    crisis_match,
    identifying_details,
    match_forum_tag,
    neutralise_mentions,
    normalise_anon_tag,
    own_letters,
    parse_phrase_list,
    parse_watch_terms,
    posting_delay,
    quota_refusal,
    sanitise,
    story_label,
    thread_title,
    trim,
)
from cogs.stories.render import when_text

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

# Text built from the pieces that matter to the sanitiser, mixed with arbitrary unicode.
_PIECES = st.sampled_from(
    [
        "@everyone",
        "@here",
        "@EveryOne",
        "<@123456789012345678>",
        "<@!42>",
        "<@&987>",
        "<#55>",
        "<@",
        "<",
        ">",
        "@",
        "&",
        "!",
        "#",
        "123",
        "**",
        "*",
        "__",
        "~~",
        "||",
        "`",
        "```",
        "[",
        "](",
        ")",
        " ",
        "\n",
        "discord.gg/abc",
        "https://example.com/x",
        "\u200b",
        "word",
    ]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=400).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, limit=st.integers(min_value=2, max_value=4000), links=st.booleans())
def test_sanitiser_output_is_within_limits_and_never_mentions(
    text: str, limit: int, links: bool
) -> None:
    result = sanitise(text, limit=limit, links_allowed=links)
    assert len(result.text) <= limit
    assert ACTIVE_MENTION.search(result.text) is None
    assert "discord.gg/" not in result.text.lower()
    if result.trimmed:
        assert result.text.endswith(ELLIPSIS)
        for marker in ("```", "||", "~~", "**"):
            assert result.text.count(marker) % 2 == 0


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_neutralising_twice_changes_nothing_more(text: str) -> None:
    once, _ = neutralise_mentions(text)
    twice, count = neutralise_mentions(once)
    assert twice == once and count == 0


def test_mentions_are_neutralised_visibly() -> None:
    result = sanitise(
        "hey @everyone and @here, <@123> <@!456> <@&789> in <#10>", limit=500, links_allowed=True
    )
    assert result.text == (
        "hey @\u200beveryone and @\u200bhere, @someone @someone @some-role in #some-channel"
    )
    assert result.mentions_neutralised == 6


def test_pieces_cannot_reassemble_into_a_mention() -> None:
    result = sanitise("<<@1>@2>  <@<@&3>4>  @<@5>everyone", limit=500, links_allowed=True)
    assert ACTIVE_MENTION.search(result.text) is None


def test_invite_links_are_always_removed() -> None:
    for invite in (
        "discord.gg/abc",
        "https://discord.gg/abc",
        "https://discord.com/invite/xyz",
        "http://discordapp.com/invite/q-1",
    ):
        result = sanitise(f"join {invite} now", limit=500, links_allowed=True)
        assert result.text == f"join {INVITE_REMOVED} now"
        assert result.invites_removed == 1


def test_other_links_follow_the_server_setting() -> None:
    text = "my notes: https://example.com/post?id=1 and www.example.org"
    assert sanitise(text, limit=500, links_allowed=True).text == text
    blocked = sanitise(text, limit=500, links_allowed=False)
    assert blocked.text == f"my notes: {LINK_REMOVED} and {LINK_REMOVED}"
    assert blocked.links_removed == 2


def test_trim_keeps_short_text() -> None:
    assert trim("short", 10) == ("short", False)


def test_trim_ends_at_a_word_boundary() -> None:
    text, trimmed = trim("the quick brown fox jumps", 14)
    assert trimmed and text == "the quick…"


def test_trim_does_not_leave_a_markdown_span_open() -> None:
    text, _ = trim("it went **really badly in the final round** sadly", 30)
    assert text == "it went…"
    text, _ = trim("see ||the part I hid|| and `code that goes on`", 40)
    assert text == "see ||the part I hid|| and…"


def test_trim_does_not_leave_a_masked_link_half_done() -> None:
    text, _ = trim("read [my long notes](https://example.com/a/very/long/path) ok", 40)
    assert text == "read…"


def test_trim_cuts_a_single_giant_word() -> None:
    text, trimmed = trim("a" * 50, 10)
    assert trimmed and text == "a" * 9 + ELLIPSIS


def test_close_spans_leaves_balanced_text_alone() -> None:
    assert close_spans("**bold** and `code`") == "**bold** and `code`"


def test_4000_characters_are_trimmed_within_the_limit() -> None:
    result = sanitise("word " * 800, limit=1800, links_allowed=False)
    assert result.trimmed and len(result.text) <= 1800


def test_nudges_find_what_identifies_the_author() -> None:
    assert identifying_details("Rejected by ACME corp.", ["Acme"]) == ("company",)
    assert identifying_details("mail me at jo.doe+x@mail.example.com") == ("email",)
    assert identifying_details("call +1 (555) 123-4567") == ("phone",)
    assert identifying_details("the onsite on 2026-03-02 went long") == ("date",)
    assert identifying_details("on March 2nd, 2026 I heard back") == ("date",)
    assert identifying_details("on 2 March 2026 I heard back") == ("date",)
    assert identifying_details("on 02/03/2026 I heard back") == ("date",)


def test_nudges_leave_ordinary_text_alone() -> None:
    text = "Third final round this year. In 2023 2024 I had 12 interviews, 5 rounds each."
    assert identifying_details(text, ["Initech"]) == ()
    assert identifying_details("It was in March 2026, a Tuesday") == ()
    assert identifying_details("<@123456789012345678> see https://x.org/12345678901") == ()


def test_company_names_match_whole_words_only() -> None:
    assert identifying_details("a meta-analysis of my year", ["Meta"]) == ("company",)
    assert identifying_details("metadata questions", ["Meta"]) == ()
    assert identifying_details("Café Ünïcorn said no", ["cafe unicorn"]) == ("company",)


def test_watch_terms_split_and_drop_blanks() -> None:
    assert parse_watch_terms(" Acme ,  Globex Corp;; x ") == ("Acme", "Globex Corp")
    assert parse_watch_terms(None) == ()


def test_crisis_words_match_whole_phrases_loosely() -> None:
    phrases = ["kill myself", "suicide", "don't want to live"]
    assert crisis_match("Some days I want to KILL   myself.", phrases)
    assert crisis_match("I don’t want to live like this", phrases)
    assert not crisis_match("this rejection killed my mood", phrases)
    assert not crisis_match("a suicidesque deadline", phrases)


def test_phrase_lists_parse() -> None:
    assert parse_phrase_list("give up on life, ,  hopeless ") == ("give up on life", "hopeless")


def test_labels() -> None:
    assert story_label(42) == "Story #42"
    assert thread_title(7, "final_round") == "Story #7 · Final round"
    assert thread_title(7, "unspecified") == "Story #7"
    tag = anon_tag("f" * 64)
    assert tag == "Anon ZZZZ"
    assert anon_tag("0" * 64) == "Anon 0000"
    assert normalise_anon_tag("anon-7f3k") == "Anon 7F3K"
    assert normalise_anon_tag("Anon 7F3K") == "Anon 7F3K"
    assert normalise_anon_tag("ANON IL00") is None
    assert normalise_anon_tag("12345") is None


def test_forum_tags_match_the_stage_by_name() -> None:
    tags = [(1, "Phone Screen"), (2, "final round"), (3, "Onsite")]
    assert match_forum_tag("phone_screen", tags) == 1
    assert match_forum_tag("final_round", tags) == 2
    assert match_forum_tag("technical", tags) is None
    assert {key for key, _ in STAGES} >= {"onsite", "offer_withdrawn"}


def test_cooldown_then_daily_quota() -> None:
    limits = Limits(cooldown=timedelta(minutes=30), daily=2)
    assert quota_refusal(NOW, [], limits) is None
    first = NOW - timedelta(minutes=10)
    refusal = quota_refusal(NOW, [first], limits)
    assert refusal is not None and refusal.reason == "cooldown"
    assert refusal.retry_at == first + timedelta(minutes=30)
    assert quota_refusal(NOW, [NOW - timedelta(hours=2)], limits) is None
    two = [NOW - timedelta(hours=5), NOW - timedelta(hours=2)]
    refusal = quota_refusal(NOW, two, limits)
    assert refusal is not None and refusal.reason == "daily"
    assert refusal.retry_at == NOW + timedelta(hours=19)
    assert quota_refusal(NOW, [NOW - timedelta(days=1, seconds=1)] * 5, limits) is None


@pytest.mark.parametrize("maximum", [0, 1, 90])
def test_posting_delay_stays_in_range(maximum: int) -> None:
    rng = random.Random(3)
    delays = {posting_delay(rng, maximum) for _ in range(200)}
    assert all(timedelta(0) <= d <= timedelta(seconds=maximum) for d in delays)
    assert len(delays) == (maximum + 1 if maximum < 2 else len(delays))
    assert maximum < 2 or len(delays) > 30  # spread out, not a constant


# -- links and direction marks collapse cleanly --------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("see [my notes](https://example.com/x) here", "see my notes [link removed] here"),
        ("see <https://example.com/x> here", "see [link removed] here"),
        ('[notes](<https://example.com> "t")', "notes [link removed]"),
        ("[](https://example.com)", "[link removed]"),
        ("join [us](https://discord.gg/abc)", "join us [invite link removed]"),
        ("join <https://discord.gg/abc>", "join [invite link removed]"),
    ],
)
def test_masked_and_angle_links_collapse_to_one_placeholder(raw: str, shown: str) -> None:
    result = sanitise(raw, limit=200, links_allowed=False)
    assert result.text == shown
    assert "]([" not in result.text and "<[" not in result.text


def test_allowed_links_keep_their_markdown_but_invites_still_go() -> None:
    raw = "[notes](https://example.com) and <https://example.org> and [us](https://discord.gg/x)"
    result = sanitise(raw, limit=200, links_allowed=True)
    assert result.text == (
        "[notes](https://example.com) and <https://example.org> and us [invite link removed]"
    )
    assert result.invites_removed == 1 and result.links_removed == 0


BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@given(st.lists(st.sampled_from(["abc", "gnp.exe", " ", *BIDI_CONTROLS]), max_size=30))
def test_no_bidirectional_control_survives_the_sanitiser(parts: list[str]) -> None:
    text = "".join(parts)
    for shown in (
        sanitise(text, limit=500, links_allowed=False).text,
        neutralise_mentions(text)[0],
    ):
        assert not any(ch in shown for ch in BIDI_CONTROLS)


def test_a_right_to_left_override_is_removed_and_the_words_stay() -> None:
    result = sanitise("my cv\u202egnp.exe\u202c was fine", limit=100, links_allowed=False)
    assert result.text == "my cvgnp.exe was fine"


# -- a story needs words of its own (C9) and says when it appears (C6) ---------------------------


@pytest.mark.parametrize(
    ("body", "letters"),
    [
        ("[link removed]", 0),
        ("@someone @here <@123> <#5> <@&7>", 0),
        ("https://example.com/abcdefghijklmnop", 0),
        ("[notes](https://example.com/abc)", 5),
        ("a", 1),
        ("It hurt. <:sad:123456789>", 6),
        ("面试没过", 4),
    ],
)
def test_own_letters_count_only_what_the_member_wrote(body: str, letters: int) -> None:
    assert own_letters(body) == letters


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(0, "in a moment"), (1, "within a minute"), (60, "within a minute"),
     (61, "within 2 minutes"), (900, "within 15 minutes")],
)  # fmt: skip
def test_when_a_story_appears_is_said_from_the_longest_delay(seconds: int, said: str) -> None:
    assert when_text(seconds) == said

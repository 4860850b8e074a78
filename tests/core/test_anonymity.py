from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.anonymity import Anonymizer

KEY = b"k" * 32
MEMBER = 123456789012345678


def test_pseudonym_is_stable_and_keyed() -> None:
    assert Anonymizer(KEY).pseudonym("stories:1", MEMBER) == Anonymizer(KEY).pseudonym(
        "stories:1", MEMBER
    )
    assert Anonymizer(KEY).pseudonym("stories:1", MEMBER) != Anonymizer(b"j" * 32).pseudonym(
        "stories:1", MEMBER
    )


def test_pseudonym_does_not_contain_or_hash_the_id_plainly() -> None:
    import hashlib

    digest = Anonymizer(KEY).pseudonym("stories:1", MEMBER)
    assert str(MEMBER) not in digest
    assert digest != hashlib.sha256(str(MEMBER).encode()).hexdigest()


def test_pseudonyms_differ_across_scopes() -> None:
    anon = Anonymizer(KEY)
    assert anon.pseudonym("stories:1", MEMBER) != anon.pseudonym("stories:2", MEMBER)


def test_author_tag_verifies_only_its_author_and_post() -> None:
    anon = Anonymizer(KEY)
    tag = anon.author_tag("post-1", MEMBER)
    assert anon.is_author("post-1", MEMBER, tag)
    assert not anon.is_author("post-1", MEMBER + 1, tag)
    assert not anon.is_author("post-2", MEMBER, tag)


@given(st.binary(max_size=200), st.text(max_size=20))
def test_seal_round_trips_in_its_context(plaintext: bytes, context: str) -> None:
    anon = Anonymizer(KEY)
    assert anon.unseal(anon.seal(plaintext, context=context), context=context) == plaintext


def test_sealing_twice_gives_different_tokens() -> None:
    anon = Anonymizer(KEY)
    assert anon.seal(b"same", context="c") != anon.seal(b"same", context="c")


def test_tampered_or_misplaced_tokens_are_refused() -> None:
    anon = Anonymizer(KEY)
    token = anon.seal(b"value", context="story:1")
    assert anon.unseal(token, context="story:2") is None
    flipped = ("A" if token[5] != "A" else "B").join([token[:5], token[6:]])
    assert anon.unseal(flipped, context="story:1") is None
    assert anon.unseal("not base64 at all!", context="story:1") is None


def test_short_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Anonymizer(b"short")


def test_the_key_check_tells_keys_apart_and_reveals_nothing() -> None:
    """Part E: restore compares this, stored in the database, with the key in use."""
    from bot.anonymity import key_check

    one, other = b"k" * 40, b"q" * 40
    assert key_check(one) == key_check(one)
    assert key_check(one) != key_check(other)
    check = key_check(one)
    assert len(check) == 64 and "k" not in check
    # Not any pseudonym or tag the database holds for a member under that key.
    anonymizer = Anonymizer(one)
    assert check not in {anonymizer.pseudonym("stories:1", 0), anonymizer.author_tag("", 0)}

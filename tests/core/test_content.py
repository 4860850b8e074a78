"""The core's content loading: generic YAML, the one normaliser, features found by themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import Content, ContentError, normalize_text, read_yaml, text_field
from bot.settings import CONTENT_DIR
from cogs.affirmations.content import AffirmationContent


def test_content_load_finds_each_feature_that_has_content() -> None:
    content = Content.load(CONTENT_DIR)
    assert "affirmations" in content.summary()
    assert AffirmationContent.of(content).affirmations


def test_asking_for_content_a_feature_did_not_load_is_a_lookup_error() -> None:
    with pytest.raises(LookupError):
        Content({}).part("stories", AffirmationContent)


def test_read_yaml_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"nope\.yaml: the file is missing"):
        read_yaml(tmp_path / "nope.yaml")


def test_read_yaml_names_a_malformed_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"bad\.yaml: not valid YAML"):
        read_yaml(path)


def test_text_field_trims_and_checks_the_limit() -> None:
    assert text_field("  hi  ", "x", 5) == "hi"
    with pytest.raises(ContentError, match="is 6 characters"):
        text_field("abcdef", "x", 5)
    with pytest.raises(ContentError, match="non-empty"):
        text_field("   ", "x", 5)


def test_the_one_normaliser_ignores_case_punctuation_and_spacing_but_keeps_accents() -> None:
    assert normalize_text("You've got this!") == normalize_text("  youve   GOT this")
    assert normalize_text("Café") != normalize_text("Cafe")
    assert normalize_text("You got this 💪") != normalize_text("You got this 🌟")
    assert normalize_text("zero\u200bwidth") == normalize_text("zerowidth")

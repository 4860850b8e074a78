"""Every bundled content file loads, has the right shape, and has no duplicates."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.content import ContentError, normalize_text
from bot.settings import CONTENT_DIR
from cogs.affirmations.content import (
    MAX_AFFIRMATION_CHARS,
    MIN_PER_STEP,
    STEP_KEYS,
    TONES,
    AffirmationContent,
    load_affirmations,
    load_steps,
)


@pytest.fixture(scope="module")
def content() -> AffirmationContent:
    return AffirmationContent.load(CONTENT_DIR)


def test_every_yaml_file_in_data_parses(content: AffirmationContent) -> None:
    import yaml

    for path in CONTENT_DIR.glob("*.yaml"):
        assert yaml.safe_load(path.read_text(encoding="utf-8")) is not None, path.name


def test_at_least_250_affirmations_and_25_per_step(content: AffirmationContent) -> None:
    assert len(content.affirmations) >= 250
    per_step = Counter(a.step for a in content.affirmations)
    assert set(per_step) == set(STEP_KEYS)
    assert min(per_step.values()) >= MIN_PER_STEP


def test_affirmations_are_within_length_and_tagged(content: AffirmationContent) -> None:
    for item in content.affirmations:
        assert len(item.text) <= MAX_AFFIRMATION_CHARS, item.id
        assert item.tone in TONES
    assert {a.tone for a in content.affirmations} == set(TONES)


def test_no_duplicates_ignoring_case_and_punctuation(content: AffirmationContent) -> None:
    norms = [normalize_text(a.text) for a in content.affirmations]
    assert len(norms) == len(set(norms))
    assert len({a.id for a in content.affirmations}) == len(content.affirmations)


def test_one_step_per_weekday_with_a_call_to_action(content: AffirmationContent) -> None:
    assert [s.weekday for s in content.steps] == list(range(7))
    assert content.step_for_weekday(0).key == "affirm_yourself"
    assert content.step_for_weekday(6).key == "share_your_journey"
    for step in content.steps:
        assert "{command}" in step.action.text
        assert step.prompt_for_week(1) and step.prompt_for_week(2)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "affirmations.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_duplicate_differing_only_in_case_and_punctuation_is_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "affirmations:\n"
        "  - {id: ay-001, step: affirm_yourself, tone: gentle, text: 'You are enough.'}\n"
        "  - {id: ay-002, step: affirm_yourself, tone: bold, text: 'you are ENOUGH!!'}\n",
    )
    with pytest.raises(ContentError, match="ay-002: duplicates ay-001"):
        load_affirmations(path)


def test_too_long_affirmation_is_rejected_naming_it(tmp_path: Path) -> None:
    text = "x" * 301
    path = _write(
        tmp_path,
        f"affirmations:\n  - {{id: ay-001, step: affirm_yourself, tone: gentle, text: '{text}'}}\n",
    )
    with pytest.raises(ContentError, match="ay-001: is 301 characters"):
        load_affirmations(path)


def test_unknown_step_and_tone_are_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "affirmations:\n  - {id: ay-001, step: nap, tone: gentle, text: 'Rest is fine.'}\n",
    )
    with pytest.raises(ContentError, match="step 'nap'"):
        load_affirmations(path)


def test_a_step_with_too_few_affirmations_is_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "affirmations:\n  - {id: ay-001, step: affirm_yourself, tone: gentle, text: 'One.'}\n",
    )
    with pytest.raises(ContentError, match="at least 25"):
        load_affirmations(path)


def test_steps_file_missing_a_weekday_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "steps.yaml"
    path.write_text("steps: []\n", encoding="utf-8")
    with pytest.raises(ContentError, match="seven steps"):
        load_steps(path)

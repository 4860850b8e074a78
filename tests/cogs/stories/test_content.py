"""data/crisis.yaml: the bundled file loads; a broken one stops the bot with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import ContentError
from bot.settings import CONTENT_DIR
from cogs.stories.content import load_crisis
from cogs.stories.logic import crisis_match


def test_the_bundled_crisis_file_loads_and_matches() -> None:
    crisis = load_crisis(CONTENT_DIR)
    assert "kill myself" in crisis.phrases
    assert crisis_match("sometimes I want to end it all", crisis.phrases)
    assert not crisis_match("I killed it in the phone screen", crisis.phrases)
    text = crisis.text("Our mods are in the support channel.")
    assert "findahelpline.com" in text and text.endswith("support channel.")
    assert len(text) < 2000


@pytest.mark.parametrize(
    ("yaml_text", "complaint"),
    [
        ("phrases: []\nmessage: hi\nresources: []\n", "phrases"),
        ("phrases: [a b]\nmessage: hi\n", "exactly the keys"),
        (
            "phrases: [ab]\nmessage: hi\nresources:\n  - {name: x, detail: y, url: http://x}\n",
            "https://",
        ),
        ("phrases: [ab, ab]\nmessage: hi\nresources: []\n", "twice"),
    ],
)
def test_a_broken_crisis_file_is_named(tmp_path: Path, yaml_text: str, complaint: str) -> None:
    (tmp_path / "crisis.yaml").write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ContentError, match=complaint):
        load_crisis(tmp_path)

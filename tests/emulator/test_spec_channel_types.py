"""Known gaps of Discord's OpenAPI file that the emulator widens: GUILD_MEDIA channel type."""

from __future__ import annotations

import pytest

from fakecord import get_spec
from fakecord.validation import Spec

COMMANDS = "/applications/{application_id}/commands"


def _command(channel_types: list[int]) -> list[dict[str, object]]:
    option = {
        "type": 7,
        "name": "channel",
        "description": "Where",
        "channel_types": channel_types,
    }
    return [{"name": "setup", "description": "Set up", "type": 1, "options": [option]}]


@pytest.fixture
def spec() -> Spec:
    loaded = get_spec()
    if loaded is None:
        pytest.skip("Discord's openapi.json is not available")
    return loaded


def test_a_forum_option_may_also_allow_media_channels(spec: Spec) -> None:
    # discord.py sends [0, 5, 15, 16] for `discord.TextChannel | discord.ForumChannel`
    assert spec.check_request("PUT", COMMANDS, _command([0, 5, 15, 16])) == []
    # an unknown type is still refused
    assert spec.check_request("PUT", COMMANDS, _command([0, 99])) != []

"""Known gaps of Discord's OpenAPI file that the emulator widens: GUILD_MEDIA channel type."""

from __future__ import annotations

from tests.fakecord import get_spec
from tests.fakecord.validation import spec_path

COMMANDS = "/applications/{application_id}/commands"


def _command(channel_types: list[int]) -> list[dict[str, object]]:
    option = {
        "type": 7,
        "name": "channel",
        "description": "Where",
        "channel_types": channel_types,
    }
    return [{"name": "setup", "description": "Set up", "type": 1, "options": [option]}]


def test_the_spec_file_is_found_from_a_nested_worktree_too() -> None:
    assert spec_path().exists()
    assert get_spec() is not None


def test_a_forum_option_may_also_allow_media_channels() -> None:
    spec = get_spec()
    assert spec is not None
    # discord.py sends [0, 5, 15, 16] for `discord.TextChannel | discord.ForumChannel`
    assert spec.check_request("PUT", COMMANDS, _command([0, 5, 15, 16])) == []
    # an unknown type is still refused
    assert spec.check_request("PUT", COMMANDS, _command([0, 99])) != []

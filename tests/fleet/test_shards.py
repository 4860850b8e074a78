"""`--shards` / REBOUND_SHARDS: one id, a list or a range, each below the shard count."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import with_shard_arguments
from bot.fleet.shards import ShardSpecError, format_shards, parse_shards, shard_of
from bot.settings import Settings, SettingsError


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", (1,)), ("0,2", (0, 2)), ("0-4", (0, 1, 2, 3, 4)), ("0-1, 5", (0, 1, 5))],
)
def test_shards_take_one_id_a_list_or_a_range(text: str, expected: tuple[int, ...]) -> None:
    assert parse_shards(text, 10) == expected
    assert parse_shards(format_shards(expected), 10) == expected


@pytest.mark.parametrize("text", ["", "a", "1-", "4-2", "0,,1", "10", "3-10"])
def test_a_malformed_or_out_of_range_shard_list_is_refused(text: str) -> None:
    with pytest.raises(ShardSpecError):
        parse_shards(text, 10)


def test_a_guild_s_shard_is_discord_s_rule() -> None:
    assert shard_of(81384788765712384, 10) == (81384788765712384 >> 22) % 10


def _settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.load({"REBOUND_DATA_DIR": str(tmp_path), **env}, env_file=tmp_path / "none.env")


def test_rebound_shards_needs_a_shard_count(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="REBOUND_SHARD_COUNT"):
        _settings(tmp_path, REBOUND_SHARDS="0-1")
    settings = _settings(tmp_path, REBOUND_SHARDS="0-1", REBOUND_SHARD_COUNT="4")
    assert settings.shards == (0, 1) and settings.shard_count == 4
    assert settings.lease_seconds == 60


def test_command_line_shards_override_the_settings_and_need_a_count(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    assert settings.shards is None
    with pytest.raises(SettingsError, match="--shard-count"):
        with_shard_arguments(settings, "0-4", None)
    fleet = with_shard_arguments(settings, "0-4", 10)
    assert fleet.shards == (0, 1, 2, 3, 4) and fleet.shard_count == 10
    with pytest.raises(SettingsError):
        with_shard_arguments(settings, "0-4", 3)

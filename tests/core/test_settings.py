from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot.secret_key import current_secret_key, load_or_create_secret_key
from bot.settings import Settings, SettingsError


def load(tmp_path: Path, **env: str) -> Settings:
    return Settings.load(
        env, env_file=tmp_path / "absent.env", defaults_file=tmp_path / "none.yaml"
    )


def test_defaults_need_no_environment(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert settings.discord_token is None
    assert settings.log_level == "INFO"
    assert settings.db_path.name == "rebound.db"


def test_environment_overrides_env_file_which_overrides_yaml(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text("log_level: ERROR\ntick_seconds: 5\n")
    (tmp_path / ".env").write_text("REBOUND_LOG_LEVEL=WARNING\nDISCORD_TOKEN=from-file\n")
    settings = Settings.load(
        {"REBOUND_LOG_LEVEL": "DEBUG"},
        env_file=tmp_path / ".env",
        defaults_file=tmp_path / "d.yaml",
    )
    assert settings.log_level == "DEBUG"
    assert settings.discord_token == "from-file"
    assert settings.tick_seconds == 5


def test_settings_are_frozen(tmp_path: Path) -> None:
    settings = load(tmp_path)
    with pytest.raises(AttributeError):
        settings.log_level = "DEBUG"  # type: ignore[misc]


def test_token_never_appears_in_repr(tmp_path: Path) -> None:
    settings = load(tmp_path, DISCORD_TOKEN="very-secret-token-value")
    assert "very-secret" not in repr(settings)
    assert settings.describe()["DISCORD_TOKEN"] == "set"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("REBOUND_LOG_LEVEL", "LOUD"),
        ("REBOUND_TICK_SECONDS", "soon"),
        ("REBOUND_TICK_SECONDS", "0"),
        ("DEV_GUILD_ID", "my-server"),
        ("REBOUND_AFFIRMATION_GRACE_MINUTES", "-5"),
        ("REBOUND_SECRET_KEY", "short"),
        ("REBOUND_POST_RATE", "51"),
    ],
)
def test_bad_values_are_rejected_naming_the_key(tmp_path: Path, key: str, value: str) -> None:
    with pytest.raises(SettingsError, match=key):
        load(tmp_path, **{key: value})


def test_relative_db_path_lives_in_the_data_dir(tmp_path: Path) -> None:
    settings = load(tmp_path, REBOUND_DATA_DIR=str(tmp_path / "state"), REBOUND_DB_PATH="x.db")
    assert settings.db_path == tmp_path / "state" / "x.db"


def test_secret_key_is_created_once_beside_the_data_folder_with_mode_0600(tmp_path: Path) -> None:
    settings = load(tmp_path, REBOUND_DATA_DIR=str(tmp_path / "state"))
    first = load_or_create_secret_key(settings)
    path = tmp_path / "state-key" / "secret.key"
    assert settings.secret_key_file == path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert len(first) >= 32
    assert load_or_create_secret_key(settings) == first
    # Nothing of the key in the data folder: one copy of it never holds both.
    assert not (tmp_path / "state").exists() or not any((tmp_path / "state").rglob("*key*"))


def test_secret_key_file_setting_is_where_the_key_lives(tmp_path: Path) -> None:
    chosen = tmp_path / "keys" / "rebound.key"
    settings = load(
        tmp_path, REBOUND_DATA_DIR=str(tmp_path / "state"), REBOUND_SECRET_KEY_FILE=str(chosen)
    )
    key = load_or_create_secret_key(settings)
    assert chosen.read_text().strip().encode() == key
    assert stat.S_IMODE(os.stat(chosen).st_mode) == 0o600
    assert not (tmp_path / "state-key").exists()
    assert settings.describe()["REBOUND_SECRET_KEY_FILE"] == str(chosen)


def test_a_key_in_the_data_folder_is_moved_out_once_saying_where(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Part E: an older Rebound kept data/secret.key; the first start moves it beside."""
    state = tmp_path / "state"
    state.mkdir()
    legacy = state / "secret.key"
    old_key = "a" * 64
    legacy.write_text(old_key + "\n")
    settings = load(tmp_path, REBOUND_DATA_DIR=str(state))
    assert current_secret_key(settings) == old_key.encode()  # read-only look: nothing moved
    assert legacy.exists()

    with caplog.at_level("DEBUG"):
        assert load_or_create_secret_key(settings) == old_key.encode()
        assert load_or_create_secret_key(settings) == old_key.encode()

    moved = tmp_path / "state-key" / "secret.key"
    assert not legacy.exists()
    assert moved.read_text().strip() == old_key
    assert stat.S_IMODE(os.stat(moved).st_mode) == 0o600
    lines = [r.getMessage() for r in caplog.records]
    assert len([line for line in lines if "Moved the secret key" in line]) == 1
    assert any(str(moved) in line for line in lines)
    assert not any(old_key in line for line in lines)


def test_two_different_keys_stop_the_start_instead_of_guessing(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "secret.key").write_text("a" * 64)
    (tmp_path / "state-key").mkdir()
    (tmp_path / "state-key" / "secret.key").write_text("b" * 64)
    settings = load(tmp_path, REBOUND_DATA_DIR=str(state))
    with pytest.raises(SettingsError, match="two different secret keys"):
        load_or_create_secret_key(settings)
    assert (state / "secret.key").exists()


def test_secret_key_from_environment_creates_no_file(tmp_path: Path) -> None:
    settings = load(tmp_path, REBOUND_DATA_DIR=str(tmp_path / "s"), REBOUND_SECRET_KEY="k" * 40)
    assert load_or_create_secret_key(settings) == b"k" * 40
    assert not (tmp_path / "s").exists()
    assert not (tmp_path / "s-key").exists()


def test_scheduler_settings_default_to_automatic_shards_and_a_safe_rate(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert settings.shard_count is None
    assert settings.post_rate_per_second == 45
    assert settings.send_workers == 16
    assert settings.run_history_days == 30
    assert settings.nonce_window_seconds == 120


def test_scheduler_settings_are_read_and_checked(tmp_path: Path) -> None:
    settings = load(
        tmp_path,
        REBOUND_SHARD_COUNT="3",
        REBOUND_SEND_WORKERS="8",
        REBOUND_RUN_HISTORY_DAYS="90",
        REBOUND_POST_RATE="50",
    )
    assert (settings.shard_count, settings.send_workers) == (3, 8)
    assert settings.run_history_days == 90 and settings.post_rate_per_second == 50
    assert load(tmp_path, REBOUND_SHARD_COUNT="auto").shard_count is None
    for key, bad in (
        ("REBOUND_SHARD_COUNT", "2.5"),
        ("REBOUND_SHARD_COUNT", "0"),
        ("REBOUND_POST_RATE", "51"),
        ("REBOUND_SEND_WORKERS", "0"),
    ):
        with pytest.raises(SettingsError, match=key):
            load(tmp_path, **{key: bad})


def test_a_key_file_left_in_the_data_folder_is_named_when_the_environment_key_is_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "secret.key").write_text("a" * 64)
    settings = load(tmp_path, REBOUND_DATA_DIR=str(state), REBOUND_SECRET_KEY="k" * 40)
    with caplog.at_level("WARNING"):
        assert load_or_create_secret_key(settings) == b"k" * 40
    assert any(str(state / "secret.key") in r.getMessage() for r in caplog.records)
    assert not any("a" * 64 in r.getMessage() for r in caplog.records)

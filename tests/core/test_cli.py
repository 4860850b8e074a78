"""`python -m bot` as a member of staff would run it: a real subprocess."""

from __future__ import annotations

import json
import os
import re
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli import run_cli

# Discord's CHAT_INPUT name rule, ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$, lowercase;
# \w without "_" is letters and digits (Devanagari and Thai marks included via \w).
NAME = re.compile(r"^[-_'\w]{1,32}$")


@pytest.mark.slow
def test_run_without_token_explains_and_exits_2_creating_nothing(tmp_path: Path) -> None:
    result = run_cli(tmp_path)
    assert result.returncode == 2
    assert "DISCORD_TOKEN is not set" in result.stderr
    assert "discord.com/developers/applications" in result.stderr
    assert ".env" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "state").exists()


@pytest.mark.slow
def test_bad_setting_is_named_without_a_traceback(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "check", REBOUND_LOG_LEVEL="shouty")
    assert result.returncode == 2
    assert "REBOUND_LOG_LEVEL" in result.stderr
    assert "Traceback" not in result.stderr


def _check_command(command: dict[str, Any]) -> None:
    assert command["name"] == command["name"].lower()
    assert NAME.match(command["name"]), command["name"]
    assert 1 <= len(command["description"]) <= 100, command["name"]
    options = command.get("options") or []
    assert len(options) <= 25
    for option in options:
        assert NAME.match(option["name"]) and option["name"] == option["name"].lower()
        assert 1 <= len(option["description"]) <= 100
        assert len(option.get("choices") or []) <= 25
        if option["type"] in (1, 2):
            _check_command(option)


@pytest.mark.slow
def test_commands_prints_the_sync_payload_with_valid_names(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "commands")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert isinstance(payload, list)
    names = [c["name"] for c in payload]
    assert "about" in names
    assert len(names) == len(set(names))
    for command in payload:
        _check_command(command)
        assert len(json.dumps(command)) < 8000
    assert not (tmp_path / "state").exists()


@pytest.mark.slow
def test_check_reports_content_and_a_missing_database(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Content: OK" in result.stdout
    assert "not created yet" in result.stdout
    assert not (tmp_path / "state").exists()


@pytest.mark.slow
def test_check_flags_a_database_from_the_future(tmp_path: Path) -> None:
    import sqlite3

    state = tmp_path / "state"
    state.mkdir()
    conn = sqlite3.connect(state / "rebound.db")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    result = run_cli(tmp_path, "check")
    assert result.returncode == 1
    assert "newer than this code" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("client_id", ["123456789012345678"])
def test_invite_lists_least_permissions_with_reasons(tmp_path: Path, client_id: str) -> None:
    result = run_cli(tmp_path, "invite", "--client-id", client_id)
    assert result.returncode == 0
    url = result.stdout.splitlines()[0]
    assert f"client_id={client_id}" in url
    assert "applications.commands" in url
    perms = int(re.search(r"permissions=(\d+)", url).group(1))  # type: ignore[union-attr]
    administrator = 1 << 3
    mention_everyone = 1 << 17
    assert perms & administrator == 0
    assert perms & mention_everyone == 0
    assert "Send Messages:" in result.stdout


@pytest.mark.slow
def test_backup_copies_the_database_consistently(tmp_path: Path) -> None:
    import sqlite3

    state = tmp_path / "state"
    state.mkdir()
    conn = sqlite3.connect(state / "rebound.db")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.execute("INSERT INTO t VALUES (42)")
    conn.commit()  # left open, as a running bot would
    target = tmp_path / "copy.db"
    result = run_cli(tmp_path, "backup", "--to", str(target))
    conn.close()
    assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT x FROM t").fetchall() == [(42,)]
    copy.close()
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)
    assert "secret key" in result.stdout


@pytest.mark.slow
def test_backup_without_a_database_says_so(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "backup")
    assert result.returncode == 1
    assert "nothing to back up" in result.stdout
    assert not (tmp_path / "state").exists()


@pytest.mark.slow
@pytest.mark.parametrize("client_id", ["abc", "12345", "1234567890123456789012", "12 34"])
def test_invite_refuses_a_client_id_that_is_not_an_application_id(
    tmp_path: Path, client_id: str
) -> None:
    result = run_cli(tmp_path, "invite", "--client-id", client_id)
    assert result.returncode == 2
    assert "17 to 20 digits" in result.stderr
    assert "discord.com/oauth2" not in result.stdout


@pytest.mark.slow
def test_invite_asks_only_for_what_the_features_in_this_build_use(tmp_path: Path) -> None:
    from bot.app import feature_extensions

    features = {name.removeprefix("cogs.") for name in feature_extensions()}
    result = run_cli(tmp_path, "invite", "--client-id", "123456789012345678")
    perms = int(re.search(r"permissions=(\d+)", result.stdout).group(1))  # type: ignore[union-attr]
    create_public_threads = 1 << 35
    attach_files = 1 << 15
    assert bool(perms & create_public_threads) == bool(features & {"stories", "encouragement"})
    assert bool(perms & attach_files) == ("streaks" in features)
    assert ("Create Public Threads:" in result.stdout) == bool(perms & create_public_threads)


@pytest.mark.slow
def test_backup_to_a_missing_folder_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    import sqlite3

    state = tmp_path / "state"
    state.mkdir()
    sqlite3.connect(state / "rebound.db").close()
    target = tmp_path / "no-such-folder" / "copy.db"
    result = run_cli(tmp_path, "backup", "--to", str(target))
    assert result.returncode == 1
    assert "does not exist" in result.stderr
    assert not target.parent.exists()


def _watch_modes(paths: list[Path], stop: threading.Event, seen: dict[str, set[int]]) -> None:
    """Every permission mode any of ``paths`` shows while the copy is written."""
    while not stop.is_set():
        for path in paths:
            try:
                mode = stat.S_IMODE(os.stat(path).st_mode)
            except FileNotFoundError:
                continue
            seen.setdefault(path.name, set()).add(mode)


def test_a_backup_is_private_from_its_first_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """B3: the copy must never be readable by others, not even while SQLite writes it."""
    import sqlite3

    from bot.__main__ import backup_database
    from bot.settings import Settings

    state = tmp_path / "state"
    state.mkdir()
    conn = sqlite3.connect(state / "rebound.db")
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,) for _ in range(4000)])
    conn.commit()
    conn.close()
    target = tmp_path / "copy.db"
    settings = Settings.load(
        {"REBOUND_DATA_DIR": str(state)},
        env_file=tmp_path / "absent.env",
        defaults_file=tmp_path / "none.yaml",
    )
    # What SQLite finds when it opens the copy: the file must already be there, ours, 0600.
    at_open: list[int | None] = []
    real_connect = sqlite3.connect

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if Path(str(database)) == target:
            at_open.append(stat.S_IMODE(target.stat().st_mode) if target.exists() else None)
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    seen: dict[str, set[int]] = {}
    stop = threading.Event()
    watched = [target, *(target.with_name(target.name + s) for s in ("-journal", "-wal"))]
    watcher = threading.Thread(target=_watch_modes, args=(watched, stop, seen))
    previous_umask = os.umask(0o022)  # the usual umask: files are world-readable by default
    watcher.start()
    try:
        assert backup_database(settings, target) == 0
    finally:
        stop.set()
        watcher.join()
        os.umask(previous_umask)
    assert at_open == [0o600]
    assert seen and all(modes == {0o600} for modes in seen.values()), seen


@pytest.mark.slow
def test_backup_never_overwrites_an_existing_file(tmp_path: Path) -> None:
    import sqlite3

    state = tmp_path / "state"
    state.mkdir()
    sqlite3.connect(state / "rebound.db").close()
    target = tmp_path / "copy.db"
    target.write_text("someone's file")
    result = run_cli(tmp_path, "backup", "--to", str(target))
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert target.read_text() == "someone's file"


@pytest.mark.slow
def test_backup_never_copies_the_secret_key(tmp_path: Path) -> None:
    """Part E: the key lives beside the data folder and no backup carries it."""
    import sqlite3

    state = tmp_path / "state"
    state.mkdir()
    conn = sqlite3.connect(state / "rebound.db")
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.commit()
    conn.close()
    key = "f" * 64
    key_file = tmp_path / "state-key" / "secret.key"
    key_file.parent.mkdir()
    key_file.write_text(key + "\n")

    result = run_cli(tmp_path, "backup")

    assert result.returncode == 0, result.stderr
    assert "not in this copy" in result.stdout and str(key_file) in result.stdout
    copies = [p for p in (state / "backups").iterdir()]
    assert len(copies) == 1
    for path in state.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


@pytest.mark.slow
def test_check_says_a_key_in_the_data_folder_will_be_moved_out(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "secret.key").write_text("a" * 64 + "\n")
    result = run_cli(tmp_path, "check")
    assert result.returncode == 0, result.stdout
    assert f"the next start moves the key to {tmp_path / 'state-key' / 'secret.key'}" in (
        result.stdout
    )
    assert "a" * 64 not in result.stdout
    assert (state / "secret.key").exists()  # check only looks

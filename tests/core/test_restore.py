"""`python -m bot backup` and `python -m bot restore FILE`, as an operator runs them."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from bot.anonymity import key_check
from bot.db.connection import load_migrations
from bot.runlock import hold_run_lock
from tests.helpers.cli import make_rebound_db, run_cli

LATEST = load_migrations()[-1][0]


def marker_of(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.slow
def test_restore_puts_the_backup_back_and_keeps_the_database_it_replaced(tmp_path: Path) -> None:
    db = tmp_path / "state" / "rebound.db"
    make_rebound_db(db, marker="before")
    backup = tmp_path / "saved.db"
    make_rebound_db(backup, marker="from the backup")

    result = run_cli(tmp_path, "restore", str(backup))

    assert result.returncode == 0, result.stderr
    assert marker_of(db) == "from the backup"
    kept = list((tmp_path / "state" / "backups").glob("rebound-before-restore-*.db"))
    assert len(kept) == 1 and marker_of(kept[0]) == "before"
    assert oct(db.stat().st_mode & 0o777) == oct(0o600)
    assert "integrity OK" in result.stdout and "secret key" in result.stdout
    # The backup file itself was only read: no -wal/-shm appeared beside it.
    assert sorted(p.name for p in tmp_path.glob("saved.db*")) == ["saved.db"]


@pytest.mark.slow
def test_restore_refuses_while_the_bot_holds_the_data_folder(tmp_path: Path) -> None:
    db = tmp_path / "state" / "rebound.db"
    make_rebound_db(db, marker="live")
    backup = tmp_path / "saved.db"
    make_rebound_db(backup, marker="old")

    with hold_run_lock(tmp_path / "state"):  # what `python -m bot run` holds while it runs
        result = run_cli(tmp_path, "restore", str(backup))

    assert result.returncode == 1
    assert "is running" in result.stderr and "nothing was restored" in result.stderr
    assert marker_of(db) == "live"


@pytest.mark.slow
def test_restore_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    make_rebound_db(tmp_path / "state" / "rebound.db", marker="live")
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database at all, just some words that are long enough\n" * 3)

    result = run_cli(tmp_path, "restore", str(bogus))

    assert result.returncode == 1
    assert "not a SQLite database" in result.stderr
    assert marker_of(tmp_path / "state" / "rebound.db") == "live"


@pytest.mark.slow
def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    make_rebound_db(tmp_path / "state" / "rebound.db", marker="live")
    backup = tmp_path / "damaged.db"
    conn = sqlite3.connect(backup)
    for _, _, sql in load_migrations():
        conn.executescript(sql)
    conn.execute(f"PRAGMA user_version = {LATEST}")
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)", [(f"k{i}", "x" * 200) for i in range(2000)]
    )
    conn.commit()
    conn.close()
    data = bytearray(backup.read_bytes())
    page = 4096
    for offset in range(page * 5, page * 5 + 3000):  # scribble over the middle of a b-tree
        data[offset] = 0xA5
    backup.write_bytes(bytes(data))

    result = run_cli(tmp_path, "restore", str(backup))

    assert result.returncode == 1
    assert "Nothing was restored" in result.stderr
    assert "integrity" in result.stderr or "could not be read" in result.stderr
    assert marker_of(tmp_path / "state" / "rebound.db") == "live"


@pytest.mark.slow
def test_restore_refuses_a_backup_from_a_newer_schema(tmp_path: Path) -> None:
    make_rebound_db(tmp_path / "state" / "rebound.db", marker="live")
    backup = tmp_path / "future.db"
    make_rebound_db(backup)
    conn = sqlite3.connect(backup)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()

    result = run_cli(tmp_path, "restore", str(backup))

    assert result.returncode == 1
    assert f"schema version {LATEST + 1}" in result.stderr and "Upgrade Rebound" in result.stderr
    assert marker_of(tmp_path / "state" / "rebound.db") == "live"


@pytest.mark.slow
def test_restore_refuses_a_sqlite_file_that_is_not_rebounds(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.execute("PRAGMA user_version = 3")
    conn.close()

    result = run_cli(tmp_path, "restore", str(other))

    assert result.returncode == 1
    assert "not a Rebound database" in result.stderr
    assert not (tmp_path / "state").exists()


@pytest.mark.slow
def test_a_backup_taken_during_writes_restores_to_a_consistent_database(tmp_path: Path) -> None:
    """A writer commits transfers between two accounts (the total never changes) and a ledger
    row per transfer, as fast as it can, while `backup` runs; the restored copy must hold whole
    transactions only: the same total, and exactly one ledger row per applied transfer."""
    db = tmp_path / "state" / "rebound.db"
    make_rebound_db(db)
    setup = sqlite3.connect(db)
    setup.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)")
    setup.execute("CREATE TABLE ledger (n INTEGER PRIMARY KEY, amount INTEGER NOT NULL)")
    setup.executemany("INSERT INTO accounts VALUES (?, ?)", [(1, 1_000_000), (2, 0)])
    setup.commit()
    setup.close()

    stop = threading.Event()
    written = [0]

    def writer() -> None:
        conn = sqlite3.connect(db, isolation_level=None, timeout=5)
        try:
            n = 0
            while not stop.is_set():
                n += 1
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("UPDATE accounts SET balance = balance - 1 WHERE id = 1")
                conn.execute("INSERT INTO ledger VALUES (?, 1)", (n,))
                conn.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 2")
                conn.execute("COMMIT")
                written[0] = n
        finally:
            conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 200:  # writes are well under way
            threading.Event().wait(0.01)
        backup = tmp_path / "during-writes.db"
        made = run_cli(tmp_path, "backup", "--to", str(backup))
    finally:
        stop.set()
        thread.join()
    assert made.returncode == 0, made.stderr

    fresh = tmp_path / "restored"
    restored = run_cli(fresh, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr

    conn = sqlite3.connect(fresh / "state" / "rebound.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        (first,), (second,) = conn.execute("SELECT balance FROM accounts ORDER BY id").fetchall()
        ledger_rows, ledger_max = conn.execute("SELECT COUNT(*), MAX(n) FROM ledger").fetchone()
    finally:
        conn.close()
    assert first + second == 1_000_000
    assert second == ledger_rows == ledger_max
    assert 200 <= ledger_rows <= written[0]


def _record_key(path: Path, key: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('secret_key_check', ?)", (key_check(key.encode()),)
    )
    conn.commit()
    conn.close()


@pytest.mark.slow
def test_restore_warns_when_the_key_in_use_is_not_the_backups(tmp_path: Path) -> None:
    """Part E: pseudonyms made with one key mean nothing under another; say so, show no key."""
    backup = tmp_path / "saved.db"
    make_rebound_db(backup, marker="from the backup")
    _record_key(backup, "b" * 64)
    in_use = "c" * 64

    result = run_cli(tmp_path, "restore", str(backup), REBOUND_SECRET_KEY=in_use)

    assert result.returncode == 0, result.stderr
    assert "WARNING: the secret key in use (REBOUND_SECRET_KEY) is not the one" in result.stderr
    assert in_use not in result.stdout + result.stderr
    assert key_check(in_use.encode()) not in result.stdout + result.stderr


@pytest.mark.slow
def test_restore_confirms_the_key_file_is_the_backups(tmp_path: Path) -> None:
    backup = tmp_path / "saved.db"
    make_rebound_db(backup)
    key = "d" * 64
    _record_key(backup, key)
    key_file = tmp_path / "state-key" / "secret.key"
    key_file.parent.mkdir()
    key_file.write_text(key + "\n")

    result = run_cli(tmp_path, "restore", str(backup))

    assert result.returncode == 0, result.stderr
    assert f"The secret key in use ({key_file}) is the one this backup was made with" in (
        result.stdout
    )
    assert "WARNING" not in result.stderr
    checked = run_cli(tmp_path, "check")
    assert f"Secret key: OK — {key_file}" in checked.stdout
    different = run_cli(tmp_path, "check", REBOUND_SECRET_KEY="e" * 64)
    assert different.returncode == 1
    assert "Secret key: PROBLEM — REBOUND_SECRET_KEY is not the key" in different.stdout


async def test_the_first_start_records_the_key_and_a_later_one_with_another_is_noticed(
    tmp_path: Path,
) -> None:
    from bot.db import Store
    from bot.db.key_check import KeyMatch, read_key_check, record_or_compare

    path = tmp_path / "rebound.db"
    async with await Store.open(path) as store:
        assert await record_or_compare(store, key_check(b"g" * 40)) is KeyMatch.UNKNOWN
        assert await record_or_compare(store, key_check(b"g" * 40)) is KeyMatch.MATCHES
        assert await record_or_compare(store, key_check(b"h" * 40)) is KeyMatch.DIFFERS
    # Never overwritten by the start with the other key.
    assert read_key_check(path, immutable=False) == key_check(b"g" * 40)

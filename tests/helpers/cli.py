"""`python -m bot ...` as an operator runs it, in a child process, and a database to give it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.db.connection import load_migrations

ROOT = Path(__file__).resolve().parents[2]


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot *args` with no token and no .env, its data folder in tmp_path/state."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCORD_", "REBOUND_")) and k != "DATABASE_URL"
    }
    clean.update(
        REBOUND_ENV_FILE=str(tmp_path / "no.env"),
        REBOUND_DATA_DIR=str(tmp_path / "state"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def latest_schema() -> int:
    return load_migrations()[-1][0]


def make_rebound_db(path: Path, *, marker: str = "original") -> None:
    """A real Rebound database (every migration applied) with one recognisable row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    for _, _, sql in load_migrations():
        conn.executescript(sql)
    conn.execute(f"PRAGMA user_version = {latest_schema()}")
    conn.execute("INSERT INTO meta (key, value) VALUES ('marker', ?)", (marker,))
    conn.commit()
    conn.close()

"""A fleet process refuses what it cannot run safely, with a sentence an operator can act on,
before it creates or changes anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import EXIT_CONFIG
from bot.cli.run import run
from bot.fleet.start import fleet_share
from bot.settings import Settings
from tests.helpers.cli import run_cli


def test_a_fleet_on_sqlite_is_refused_and_nothing_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings.load(
        {
            "DISCORD_TOKEN": "x" * 60,
            "REBOUND_DATA_DIR": str(tmp_path / "state"),
            "REBOUND_SHARDS": "0-1",
            "REBOUND_SHARD_COUNT": "4",
            "REBOUND_SECRET_KEY": "k" * 40,
        },
        env_file=tmp_path / "none.env",
    )
    assert run(settings) == EXIT_CONFIG
    err = capsys.readouterr().err
    assert "SQLite" in err and "DATABASE_URL" in err and "migrate-store" in err
    assert not (tmp_path / "state").exists()


@pytest.mark.slow
def test_run_with_shards_on_sqlite_exits_2_from_the_command_line(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "run", "--shards", "0-1", "--shard-count", "4", DISCORD_TOKEN="x" * 60)
    assert done.returncode == EXIT_CONFIG
    assert "PostgreSQL" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_shards_without_a_shard_count_exit_2_from_the_command_line(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "run", "--shards", "0-1", DISCORD_TOKEN="x" * 60)
    assert done.returncode == EXIT_CONFIG
    assert "--shard-count" in done.stderr and "Traceback" not in done.stderr


def test_each_process_paces_at_its_share_of_the_token_s_limit() -> None:
    assert fleet_share(45, 1.0) == 45
    assert fleet_share(45, 0.5) == 22.5
    assert fleet_share(45, 0.001) == 1

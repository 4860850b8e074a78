"""kill -9 of the bot process while members write (a few trials; the long run is
`python -m benchmarks.faults kill`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.scenarios import write_scenario
from fakecord import FakeDiscord
from tests.helpers.faults.kill import build_members, run_trials

pytestmark = pytest.mark.slow  # starts the bot as a child process


async def test_kill_9_during_writes_loses_no_acknowledged_write_and_doubles_none(
    tmp_path: Path,
) -> None:
    scenario = write_scenario()
    async with FakeDiscord(patch=False) as fake:
        people = build_members(fake, servers=4, per_server=60)
        report = await run_trials(
            fake,
            tmp_path,
            scenario,
            people,
            trials=3,
            per_trial=80,
            rate_per_s=250,
            kill_window=(0.05, 0.35),
            seed=13,
        )
    assert len(report.trials) == 3
    # the kills landed mid-load: some writes were acknowledged, not all were sent or answered
    assert report.acknowledged > 0
    assert any(t.acknowledged < 80 for t in report.trials)
    assert report.lost == 0, [t.missing_after_restart for t in report.trials]
    assert report.doubled == 0
    # after the retry every member of every trial is stored exactly once
    assert all(t.stored == 80 for t in report.trials)

"""`python -m bot playground` as a newcomer starts it: the first line is the address, what this
is and how to use real Discord instead; Ctrl+C stops it and keeps the state in --data."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_first_line_is_the_address_and_ctrl_c_keeps_the_state(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "REBOUND_"))}
    env["REBOUND_ENV_FILE"] = str(tmp_path / "no.env")
    data = tmp_path / "kept"
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "playground", "--port", "0", "--data", str(data)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        assert "a local playground, not Discord" in first
        assert "DISCORD_TOKEN" in first and "make run" in first
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert found, first
        ready = child.stdout.readline()
        assert "ready" in ready, ready
        with urllib.request.urlopen(found.group(0), timeout=10) as response:
            assert "Career Circle" in response.read().decode() or response.status == 200
    finally:
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert (data / "emulator.pickle").exists()
    assert (data / "bot" / "rebound.db").exists()

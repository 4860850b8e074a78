"""`python -m bot run`'s own start-up path against the local Discord (in-process, so the
emulator can stand in for discord.com)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.__main__ import EXIT_CONFIG, _run
from bot.content import Content
from bot.settings import CONTENT_DIR
from tests.harness import harness_settings


async def test_a_token_discord_rejects_gets_a_paragraph_not_a_traceback(
    fake: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = replace(harness_settings(tmp_path), discord_token="not.a.real-token")
    code = await _run(settings, Content.load(CONTENT_DIR))
    err = capsys.readouterr().err
    assert code == EXIT_CONFIG
    assert "Discord rejected the token" in err
    assert "Reset Token" in err
    assert "Traceback" not in err

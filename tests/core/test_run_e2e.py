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


async def test_a_2600_server_bot_connects_on_two_shards_and_one_connection_gets_4011(
    tmp_path: Path,
) -> None:
    import discord

    from fakecord import FakeDiscord
    from tests.harness import running_bot

    async with FakeDiscord() as fake:
        for n in range(2600):
            fake.create_guild(f"Circle {n}")
        fake.guilds_per_shard = 2000  # Discord's recommendation for this bot: 2 shards
        fake.max_concurrency = 2
        async with running_bot(fake, data_dir=tmp_path / "auto") as app:
            assert app.bot.shard_count == 2
            assert len(app.bot.guilds) == 2600
            assert sorted(tuple(i["shard"]) for i in fake.identifies) == [(0, 2), (1, 2)]
        assert 4011 not in fake.close_codes
        with pytest.raises(discord.ConnectionClosed) as refused:
            async with running_bot(fake, data_dir=tmp_path / "one", shard_count=1):
                pass
        assert refused.value.code == 4011
        assert 4011 in fake.close_codes

"""A button that fails answers like a failed command: one friendly private sentence, a reference
in the log, and no member id anywhere in the log."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from tests.harness import running_bot


async def test_a_failing_button_takes_the_commands_error_path(
    world: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cogs.affirmations.repository import AffirmationRepository

    async with running_bot(world.fake, data_dir=tmp_path):
        for n in range(12):  # two pages
            await world.fake.invoke(
                world.mod, world.channel, "affirmations add", text=f"Kind words number {n}."
            )
        listed = await world.fake.invoke(world.mod, world.channel, "affirmations list")
        assert listed.message is not None

        async def broken(self: Any, guild_id: int) -> list[Any]:
            raise RuntimeError("the store fell over")

        monkeypatch.setattr(AffirmationRepository, "custom", broken)
        with caplog.at_level(logging.INFO):
            clicked = await world.fake.click(world.mod, listed.message, label="Next ›")
    assert clicked.ephemeral
    assert clicked.content and "went wrong on my side" in clicked.content
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Component aff:list failed (ref" in logged
    assert str(world.mod.id) not in logged
    assert "Ignoring exception" not in logged

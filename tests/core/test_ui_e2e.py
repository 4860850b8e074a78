"""BaseView and BaseModal errors reach the member as one friendly private sentence (the same path
as a failed command), and the log names no member."""

from __future__ import annotations

import logging
from typing import Any

import discord
import pytest

from bot.errors import UserFacingError
from bot.ui import BaseModal, BaseView
from fakecord import FakeDiscord
from tests.emulator.conftest import Client, running


class FailingView(BaseView):
    @discord.ui.button(label="Break", custom_id="help:break:1")
    async def broken(self, interaction: discord.Interaction[Any], button: Any) -> None:
        raise RuntimeError("view exploded")

    @discord.ui.button(label="Refuse", custom_id="help:refuse:1")
    async def refuse(self, interaction: discord.Interaction[Any], button: Any) -> None:
        raise UserFacingError("That one is for later.")


class FailingModal(BaseModal, title="Tell us"):
    answer: discord.ui.TextInput[Any] = discord.ui.TextInput(label="Answer", custom_id="answer")

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        raise RuntimeError("modal exploded")


def make_client() -> Client:
    client = Client()

    @client.tree.command(name="panel", description="A panel")
    async def panel(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message("panel", view=FailingView(timeout=None))

    @client.tree.command(name="ask", description="A modal")
    async def ask(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(FailingModal(custom_id="help:ask:1"))

    return client


async def test_view_and_modal_errors_take_the_friendly_path(
    fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    guild = fake.create_guild("g")
    chan = guild.create_text_channel("c")
    alice = guild.add_member("alice")
    async with running(make_client(), fake) as client:
        await client.tree.sync()
        panel = await fake.invoke(alice, chan, "panel")
        assert panel.message is not None
        with caplog.at_level(logging.INFO):
            broken = await fake.click(alice, panel.message, label="Break")
            refused = await fake.click(alice, panel.message, label="Refuse")
            asked = await fake.invoke(alice, chan, "ask")
            submitted = await fake.submit_modal(alice, chan, asked.modal, {"Answer": "hi"})
    assert broken.ephemeral and "went wrong on my side" in (broken.content or "")
    assert refused.ephemeral and refused.content == "That one is for later."
    assert submitted.ephemeral and "went wrong on my side" in (submitted.content or "")
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot"))
    assert "View help:break failed (ref" in logged
    assert "Modal help:ask failed (ref" in logged
    assert str(alice.id) not in logged
    assert not any("Ignoring exception" in r.getMessage() for r in caplog.records)

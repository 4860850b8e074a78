"""The one error path: each failure kind becomes one friendly sentence."""

from __future__ import annotations

from discord import app_commands

from bot.errors import UserFacingError
from bot.tree import message_for


def test_user_facing_error_is_shown_as_written() -> None:
    assert message_for(UserFacingError("Try 08:00.")) == ("Try 08:00.", None)


def test_cooldown_names_the_wait_kindly() -> None:
    error = app_commands.CommandOnCooldown(app_commands.Cooldown(1, 30), 12.4)
    text, ref = message_for(error)
    assert "12 seconds" in text and ref is None


def test_missing_permission_names_it_in_words() -> None:
    text, _ = message_for(app_commands.MissingPermissions(["manage_guild"]))
    assert "Manage Server" in text


def test_internal_error_carries_a_reference_and_no_detail() -> None:
    original = RuntimeError("database exploded at row 42")
    error = app_commands.CommandInvokeError.__new__(app_commands.CommandInvokeError)
    error.original = original
    app_commands.AppCommandError.__init__(error, "x")
    text, ref = message_for(error)
    assert ref == "internal"
    assert "reference" in text
    assert "exploded" not in text

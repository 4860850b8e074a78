"""Exceptions that carry a sentence meant for the member who ran the command."""

from __future__ import annotations

from discord import app_commands


class UserFacingError(app_commands.AppCommandError):
    """Raise from a command with one friendly sentence; the tree shows it ephemerally.

    Nothing in the store changes when a command raises this: handlers validate before writing.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

"""Keeps the emulator's world (server, people, channels, messages, files, synced commands and the
clock) in the playground's data folder, so a kept bot database never points at channels that no
longer exist.

The world is pickled: it is the emulator's own objects, written and read only by this machine's
playground (a pickle from elsewhere must never be loaded: it is code). The emulator's state
object is written as a reference and read back as the running emulator's, so the restored
objects belong to it.
"""

from __future__ import annotations

import io
import os
import pickle
from datetime import datetime
from pathlib import Path
from typing import Any

from fakecord import FakeDiscord
from fakecord.state import FakeState

FILE_NAME = "emulator.pickle"
_STATE_REF = "fakecord-state"
_FIELDS = (
    "users",
    "bot_user",
    "application_id",
    "guilds",
    "channels",
    "dm_channels",
    "messages",
    "files",
    "global_commands",
    "guild_commands",
    "command_ids",
    "reactions",
)


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, state: FakeState) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._state = state

    def persistent_id(self, obj: Any) -> str | None:
        return _STATE_REF if obj is self._state else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, state: FakeState) -> None:
        super().__init__(file)
        self._state = state

    def persistent_load(self, pid: Any) -> Any:
        if pid != _STATE_REF:
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self._state


def save(fake: FakeDiscord, now: datetime, folder: Path) -> None:
    """Write the world atomically (a crash mid-write keeps the previous file)."""
    state = fake.state
    data = {name: getattr(state, name) for name in _FIELDS}
    data["now"] = now
    data["last_id"] = state.ids.last
    buffer = io.BytesIO()
    _Pickler(buffer, state).dump(data)
    path = folder / FILE_NAME
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(buffer.getvalue())
    os.replace(tmp, path)


def load(fake: FakeDiscord, folder: Path) -> datetime | None:
    """Put a saved world into `fake` (before it starts); its clock instant, None if none saved."""
    path = folder / FILE_NAME
    if not path.exists():
        return None
    data = _Unpickler(io.BytesIO(path.read_bytes()), fake.state).load()
    for name in _FIELDS:
        setattr(fake.state, name, data[name])
    # New ids must stay above every saved one, whatever the clock says.
    fake.state.ids.follow(fake.state.ids.time_source, floor=int(data["last_id"]))
    now = data["now"]
    assert isinstance(now, datetime)
    return now

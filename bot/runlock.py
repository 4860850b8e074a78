"""One Rebound per data folder: the running bot holds an exclusive lock on `<data>/rebound.lock`.

`python -m bot restore` takes the same lock, so it refuses while the bot runs, and the bot cannot
start half-way through a restore. The lock is `flock(2)`: the kernel drops it when the process
ends for any reason (even kill -9), so a stale lock file never blocks anything. The file holds the
pid of the holder, only to say which process is running.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

LOCK_FILE_NAME = "rebound.lock"


class AlreadyRunning(RuntimeError):
    """Another process holds the data folder's lock."""

    def __init__(self, path: Path, pid: int | None) -> None:
        super().__init__(f"{path} is locked by pid {pid}")
        self.path = path
        self.pid = pid


def lock_path(data_dir: Path) -> Path:
    return data_dir / LOCK_FILE_NAME


def holder_pid(data_dir: Path) -> int | None:
    """The pid written by the current (or last) holder, if readable."""
    try:
        text = lock_path(data_dir).read_text(encoding="ascii").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


@contextlib.contextmanager
def hold_run_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data folder's lock for the block, or raise AlreadyRunning at once (no waiting)."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = lock_path(data_dir)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(path, holder_pid(data_dir)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

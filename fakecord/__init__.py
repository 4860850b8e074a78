"""fakecord: a local Discord emulator for end-to-end tests of discord.py bots.

The real discord.py client talks to it over real HTTP and a real websocket. See
``fakecord/README.md`` for the driver API.
"""

from .driver import FakeDiscord, running_fake
from .interactions import FakeFile, InteractionResult, InvocationError, PendingInteraction
from .messages import UploadedFile
from .models import (
    FakeChannel,
    FakeDMChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeThread,
    FakeUser,
    ForumTag,
)
from .ratelimit import Fault, Hold
from .rest import RecordedRequest, Rejection
from .validation import get_spec, spec_path

__all__ = [
    "FakeChannel",
    "FakeDMChannel",
    "FakeDiscord",
    "FakeFile",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeThread",
    "FakeUser",
    "Fault",
    "ForumTag",
    "Hold",
    "InteractionResult",
    "InvocationError",
    "PendingInteraction",
    "RecordedRequest",
    "Rejection",
    "UploadedFile",
    "get_spec",
    "running_fake",
    "spec_path",
]

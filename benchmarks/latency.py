"""Turn on the emulator's latency knob: a delay before each REST answer, plus jitter.

Discord answers a REST call in tens to hundreds of milliseconds; with the knob on, a design that
waits on Discord before acknowledging an interaction shows it in the figures.
"""

from __future__ import annotations

from fakecord import FakeDiscord

DEFAULT_LATENCY_MS = 100.0
DEFAULT_JITTER_MS = 20.0


def apply_latency(fake: FakeDiscord, latency_ms: float, jitter_ms: float = 0.0) -> None:
    fake.latency = max(0.0, latency_ms) / 1000
    fake.jitter = max(0.0, jitter_ms) / 1000

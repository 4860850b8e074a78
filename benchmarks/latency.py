"""Turn on the emulator's latency knob (a delay before each REST answer) when it has one.

The knob belongs to the engine's work on the emulator; until that is merged, asking for latency
fails loudly instead of silently measuring without it.
"""

from __future__ import annotations

from tests.fakecord import FakeDiscord


def apply_latency(fake: FakeDiscord, latency_ms: float, jitter_ms: float = 0.0) -> None:
    if latency_ms <= 0 and jitter_ms <= 0:
        return
    setter = getattr(fake, "set_latency", None)
    if setter is None:
        raise SystemExit(
            "this emulator has no latency knob yet (merge the engine branch); run with "
            "--latency-ms 0"
        )
    setter(latency_ms / 1000, jitter=jitter_ms / 1000)

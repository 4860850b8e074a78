"""The 08:00 rush: N servers all due at the same minute, posted by the real bot through the
local Discord with Discord's global limit of 50 requests/s.

    .venv/bin/python -m benchmarks.morning_rush [--servers 100 400] [--repeats 3] [--rate 40]

Measures wall time from the due instant until every post has landed, posts per second, 429s
received, and the median of the repeats. The limit is the point: the bot must stay under it
(discord.py's rate limiter does the pacing; no post may be lost or doubled).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from fakecord import FakeDiscord
from tests.harness import running_bot

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


async def rush(servers: int, rate: float) -> tuple[float, int]:
    async with FakeDiscord(global_rate_limit=50) as fake:
        channels = []
        for n in range(servers):
            guild = fake.create_guild(f"Circle {n}")
            channels.append(guild.create_text_channel("affirmations"))
        with tempfile.TemporaryDirectory() as folder:
            async with running_bot(
                fake, data_dir=Path(folder), now=START, post_rate_per_second=rate
            ) as app:
                for channel in channels:
                    result = await fake.invoke(
                        channel.guild.owner,
                        channel,
                        "affirmations setup",
                        channel=channel,
                        time="08:00",
                        timezone="UTC",
                    )
                    assert result.content and "All set" in result.content
                began = time.perf_counter()
                await app.advance_to(datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC))
                elapsed = time.perf_counter() - began
                posted = sum(1 for c in channels if len(c.messages) == 1)
                assert posted == servers, f"{posted} of {servers} posted"
                assert all(len(c.messages) <= 1 for c in channels)
                return elapsed, fake.count_429


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--servers", type=int, nargs="+", default=[100, 400])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--rate", type=float, default=40, help="the bot's pacing, posts/s (1000: unpaced)"
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    print(f"{'servers':>8} {'median s':>9} {'posts/s':>8} {'429s':>5}")
    for servers in args.servers:
        runs = [asyncio.run(rush(servers, args.rate)) for _ in range(args.repeats)]
        seconds = statistics.median(r[0] for r in runs)
        print(
            f"{servers:>8} {seconds:>9.2f} {servers / seconds:>8.1f} {max(r[1] for r in runs):>5}"
        )


if __name__ == "__main__":
    main()

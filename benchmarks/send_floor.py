"""The floor under the rush's CPU per post: what discord.py itself costs per message sent, with
no database, no scheduler and no features (issue #8's goal is ≤ 1 ms per post for the bot).

    .venv/bin/python -m benchmarks.send_floor [--messages 3000] [--repeats 3] [--latency 0.1]
        [--ways channel.send,http.send_message,aiohttp] [--json-lib orjson|std]

A child process logs a bare ``discord.Client`` (the bot's intents, its pacer on the wire at
50/s, 16 sends in flight like the engine's pool) into the local Discord with the latency knob
on, then sends ``--messages`` messages to as many channels, each an embed like a morning post
with a nonce, three ways:

- ``channel.send``: discord.py builds a ``Message`` from the answer (what the engine did until
  2026-12-02, and still does for a message with buttons);
- ``http.send_message``: discord.py's HTTP layer only (its rate-limit buckets, no ``Message``):
  what the engine does now (``Sender._create``);
- ``aiohttp``: one ``ClientSession.post`` per message (no discord.py at all; no buckets).

discord.py uses orjson when it is installed (Rebound installs it); ``--json-lib std`` puts the
standard library's json back in the child, to see what orjson saves. The bot's throttle on
discord.py's bucket sweep (``bot.app.throttle_bucket_sweep``) is on, as in the bot.

The child measures its own CPU (user + system) over the sends and prints one JSON line per way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WAYS = ("channel.send", "http.send_message", "aiohttp")
INFLIGHT = 16


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _child(channel_ids: list[int], token: str, way: str) -> None:
    import aiohttp
    import discord
    import yarl

    from bot.app import bot_intents, paced_request, throttle_bucket_sweep
    from bot.pacing import Pacer

    if os.environ.get("FLOOR_JSON") == "std":
        # discord.py picks orjson at import when it is installed; this puts the stdlib back.
        discord.utils._to_json = lambda obj: json.dumps(obj, separators=(",", ":"))
        discord.utils._from_json = json.loads
    discord.http.Route.BASE = os.environ["FLOOR_API_BASE"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["FLOOR_GATEWAY"])
    pacer = Pacer(50)
    client = discord.Client(
        intents=bot_intents(),
        http_trace=pacer.trace_config(paced_request),
        chunk_guilds_at_startup=False,
    )
    throttle_bucket_sweep(client.http)
    embed = discord.Embed(
        title="Today’s affirmation",
        description="A no is information about one role, not a verdict on you.",
        colour=0x5B8DEF,
    ).add_field(name="Today’s step: Affirm yourself", value="Write down one thing you did well.")
    payload = embed.to_dict()
    done = asyncio.Event()

    @client.event
    async def on_ready() -> None:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for cid in channel_ids:
            queue.put_nowait(cid)
        session = aiohttp.ClientSession(trace_configs=[pacer.trace_config(paced_request)])
        headers = {"Authorization": f"Bot {token}", "Content-Type": "application/json"}

        async def one(cid: int, n: int) -> None:
            nonce = f"floor{n:019d}"
            if way == "channel.send":
                channel = client.get_partial_messageable(cid)
                await channel.send(embed=embed, nonce=nonce)
            elif way == "http.send_message":
                params = discord.http.handle_message_parameters(embed=embed, nonce=nonce)
                with params:
                    await client.http.send_message(cid, params=params)
            else:
                body = {"embeds": [payload], "nonce": nonce, "enforce_nonce": True}
                url = f"{discord.http.Route.BASE}/channels/{cid}/messages"
                async with session.post(url, json=body, headers=headers) as response:
                    await response.read()

        async def worker() -> None:
            while not queue.empty():
                cid = queue.get_nowait()
                await one(cid, cid)

        began_cpu, began = _cpu(), time.monotonic()
        await asyncio.gather(*(worker() for _ in range(INFLIGHT)))
        cpu, wall = _cpu() - began_cpu, time.monotonic() - began
        await session.close()
        print(
            json.dumps(
                {
                    "way": way,
                    "messages": len(channel_ids),
                    "cpu_ms_per_message": 1000 * cpu / len(channel_ids),
                    "per_second": len(channel_ids) / wall,
                }
            ),
            flush=True,
        )
        done.set()

    async with client:
        runner = asyncio.create_task(client.start(token))
        await done.wait()
        await client.close()
        runner.cancel()


async def one_run(
    messages: int, latency: float, way: str, json_lib: str = "orjson"
) -> dict[str, Any]:
    from fakecord import FakeDiscord

    async with FakeDiscord(patch=False, latency=latency, jitter=0.02) as fake:
        guild = fake.create_guild("Floor")
        ids = [guild.create_text_channel(f"c{n}").id for n in range(messages)]
        env = dict(os.environ)
        env.update(
            FLOOR_API_BASE=fake.api_base,
            FLOOR_GATEWAY=fake.gateway_url,
            FLOOR_TOKEN=fake.token,
            FLOOR_WAY=way,
            FLOOR_CHANNELS=",".join(map(str, ids)),
            FLOOR_JSON=json_lib,
        )
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "benchmarks.send_floor", "--child", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await child.communicate()
        lines = [line for line in out.decode().splitlines() if line.startswith("{")]
        if not lines:
            raise RuntimeError(err.decode()[-2000:])
        result: dict[str, Any] = json.loads(lines[-1])
        result["responses_429"] = fake.count_429
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--json-lib", choices=("orjson", "std"), default="orjson")
    parser.add_argument("--ways", default=",".join(WAYS), help="comma-separated subset of ways")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        ids = [int(x) for x in os.environ["FLOOR_CHANNELS"].split(",")]
        asyncio.run(_child(ids, os.environ["FLOOR_TOKEN"], os.environ["FLOOR_WAY"]))
        return
    for way in args.ways.split(","):
        runs = [
            asyncio.run(one_run(args.messages, args.latency, way, args.json_lib))
            for _ in range(args.repeats)
        ]
        for n, run in enumerate(runs, 1):
            print(f"{way} run {n}: {run}", flush=True)
        cpu = statistics.median(r["cpu_ms_per_message"] for r in runs)
        rate = statistics.median(r["per_second"] for r in runs)
        print(
            f"{way} ({args.json_lib} JSON): median CPU {cpu:.3f} ms per message, "
            f"{rate:.1f} messages/s",
            flush=True,
        )


if __name__ == "__main__":
    main()

"""`python -m bot playground`: the real bot on a local Discord, in the browser, without a token.

The page's address is the first line printed, with what this is and how to use real Discord.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import tempfile
from pathlib import Path

from bot.logs import configure_logging

DEFAULT_PORT = 8080

FIRST_LINE = (
    "Rebound playground: {url} - a local playground, not Discord: the real bot on a local "
    "Discord emulator, and nothing leaves this machine. To connect to real Discord instead, "
    "put DISCORD_TOKEN=your-bot-token in .env and run `make run` (or `python -m bot run`)."
)


def playground(data: Path | None, port: int = DEFAULT_PORT) -> int:
    configure_logging("WARNING")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_playground(data, port))
    return 0


async def _playground(data: Path | None, port: int) -> None:
    from bot.playground.runtime import Playground  # imported late: it imports every feature
    from bot.playground.web import WebApp, serve

    with contextlib.ExitStack() as cleanup:
        if data is None:
            data = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="rebound-")))
        pg = Playground(data.expanduser().resolve())
        webapp = WebApp(pg)
        runner = await serve(webapp, port)
        print(FIRST_LINE.format(url=f"http://127.0.0.1:{webapp.port}/"), flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for stop_signal in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(stop_signal, stop.set)
        try:
            await pg.start()
            print(f"The demo server is ready. State kept in {data}. Ctrl+C stops.", flush=True)
            await stop.wait()
        finally:
            await pg.stop()
            await runner.cleanup()
    print("Playground stopped.", file=sys.stderr)

"""The playground in the test's own event loop: the real bot on fakecord, the web app on a free
port of 127.0.0.1, and (for the browser tests) the system's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.playground.runtime import Playground
from bot.playground.web import TOKEN_HEADER, WebApp, serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_CHROMIUM = "sudo apt-get update && sudo apt-get install -y chromium"


@dataclass
class Served:
    playground: Playground
    webapp: WebApp
    runner: web.AppRunner

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.webapp.port}/"

    @property
    def fake(self) -> Any:
        return self.playground.fake

    async def post(self, session: aiohttp.ClientSession, path: str, body: Any) -> Any:
        async with session.post(
            self.url.rstrip("/") + path, json=body, headers={TOKEN_HEADER: self.webapp.token}
        ) as response:
            return response.status, await response.json()

    async def get(self, session: aiohttp.ClientSession, path: str) -> Any:
        async with session.get(
            self.url.rstrip("/") + path, headers={TOKEN_HEADER: self.webapp.token}
        ) as response:
            return response.status, await response.json()


async def serve_playground(data_dir: Path) -> Served:
    playground = Playground(data_dir)
    webapp = WebApp(playground)
    runner = await serve(webapp, 0)
    await playground.start()
    return Served(playground, webapp, runner)


async def close(served: Served) -> None:
    await served.playground.stop()
    await served.runner.cleanup()


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    running = await serve_playground(tmp_path / "playground")
    try:
        yield running
    finally:
        await close(running)


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests leave their screenshots ($REBOUND_ARTEFACTS, or pytest's tmp)."""
    chosen = os.environ.get("REBOUND_ARTEFACTS")
    folder = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "artefacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def require_chromium() -> str:
    """The system's Chromium; a missing one fails the test with the command (never skips)."""
    found = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not found:
        pytest.fail(
            f"The browser tests need the system's Chromium. Install it with: {INSTALL_CHROMIUM}"
        )
    return found


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    executable = require_chromium()
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser: Any, served: Served) -> AsyncIterator[Any]:
    # Playwright's waits compile their predicates in the page, which the page's own Content
    # Security Policy forbids: the tests' context lifts it (test_browser checks the page runs
    # under it), so the escaping is also proven without the policy's help.
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    opened = await context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    opened.on(
        "console",
        lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    opened.problems = problems
    await opened.goto(served.url)
    await opened.wait_for_selector("#channels li")
    try:
        yield opened
    finally:
        await context.close()

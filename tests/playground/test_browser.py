"""The playground in a real browser: headless Chromium (the system's) through Playwright drives
the page as a first-time visitor would, and the real bot answers through the local Discord."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from .conftest import Served
from .page_steps import (
    STORY,
    be,
    clock,
    no_problems,
    open_channel,
    run,
    settled,
    submit_modal,
)

pytestmark = pytest.mark.slow


async def setup_affirmations(page: Any, served: Served) -> None:
    await open_channel(page, "affirmations")
    await run(
        page,
        served,
        "affirmations setup",
        channel="#affirmations",
        time="08:00",
        timezone="UTC",
    )


async def test_the_morning_post_appears_when_the_clock_reaches_it(
    page: Any, served: Served, artefacts: Path
) -> None:
    await setup_affirmations(page, served)
    reply = page.locator(".msg.ephemeral")
    assert "All set" in await reply.inner_text()
    assert "Only you can see this" in await reply.inner_text()
    await page.screenshot(path=artefacts / "1-affirmations-setup.png")
    assert await page.locator(".embed").count() == 0

    await clock(page, served, "morning")
    assert "08:00" in await page.inner_text("#now")
    post = page.locator(".msg:not(.ephemeral) .embed").first
    await post.wait_for()
    assert "Today" in await post.inner_text()
    assert await page.locator("#tour li[data-step=morning].done").count() == 1
    await page.screenshot(path=artefacts / "2-morning-post.png")
    await no_problems(page, served)


async def share_story(page: Any, served: Served, text: str) -> None:
    await be(page, "alex")
    await open_channel(page, "general")
    await run(page, served, "share")
    await submit_modal(page, served, {"what_happened": text, "stage": "final_round"})


async def until_posted(page: Any, served: Served) -> Any:
    """Press +1 hour until the story is in #stories (its delay is random, a few hours at most)."""
    await open_channel(page, "stories")
    posts = page.locator("#messages .msg .embed")
    for _ in range(30):
        if await posts.count():
            return posts.first
        await clock(page, served, "hour")
    raise AssertionError("the story never appeared in #stories")


async def test_a_story_is_shared_encouraged_and_answered_by_its_author(
    page: Any, served: Served, artefacts: Path
) -> None:
    await share_story(page, served, STORY)
    assert await page.locator("#tour li[data-step=share].done").count() == 1
    await page.screenshot(path=artefacts / "3-story-shared.png")

    post = await until_posted(page, served)
    text = await post.inner_text()
    assert "six weeks" in text
    assert "final round" in text  # **bold** rendered, not shown as stars
    assert await post.locator("strong").count() >= 1
    assert "Alex" not in await page.inner_text("#messages")  # anonymous
    await page.screenshot(path=artefacts / "4-story-posted.png")

    await be(page, "sam")
    story = page.locator("#messages .msg", has=page.locator(".embed")).first
    await story.locator("button:has-text('Encourage')").click()
    await submit_modal(page, served, {"words": "That sounds so hard. You got to the final round!"})
    assert await page.locator("#tour li[data-step=encourage].done").count() == 1
    await page.screenshot(path=artefacts / "5-encouraged.png")

    await be(page, "alex")
    thread = page.locator("#channels button.thread").first
    name = (await thread.inner_text()).removeprefix("↳ ")
    await thread.click()
    await page.wait_for_selector(f"#channel-title:text-is({name!r})")
    await settled(page, served)
    await run(page, served, "reply")
    if await page.locator("dialog[open]").count():
        field = page.locator("dialog[open] textarea").first
        await field.fill("Thank you all, this helped more than I expected.")
        await page.click("#modal-submit")
        await settled(page, served)
    assert await page.locator("#tour li[data-step=reply].done").count() == 1
    await page.screenshot(path=artefacts / "6-op-reply.png")
    await no_problems(page, served)


async def test_a_check_in_shows_the_streak_with_its_heatmap(
    page: Any, served: Served, artefacts: Path
) -> None:
    await be(page, "alex")
    await open_channel(page, "accountability")
    await run(page, served, "checkin", applications="2", note="Sent two applications")
    assert await page.locator("#errors .error").count() == 0
    await run(page, served, "streak show")
    heatmap = page.locator("#messages img").last
    await heatmap.wait_for()
    loaded = await heatmap.evaluate("img => img.complete && img.naturalWidth > 0")
    assert loaded, "the heatmap image did not load"
    assert await page.locator("#tour li[data-step=checkin].done").count() == 1
    await page.screenshot(path=artefacts / "7-streak-heatmap.png")
    await no_problems(page, served)


HOSTILE = (
    '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> '
    "[click](javascript:alert(1)) and still, this happened to me."
)


async def test_a_hostile_story_renders_as_text(page: Any, served: Served) -> None:
    await share_story(page, served, HOSTILE)
    post = await until_posted(page, served)
    text = await post.inner_text()
    assert "<script>window.pwned = 1</script>" in text
    assert await page.evaluate("window.pwned") is None
    assert await page.locator("#messages script").count() == 0
    assert await page.locator("#messages img[src=x]").count() == 0
    assert await page.locator("#messages a[href^=javascript]").count() == 0


async def test_another_sites_page_cannot_drive_the_playground(
    browser: Any, served: Served, tmp_path: Path
) -> None:
    """A page on another address in the same browser posts to the playground's API, with and
    without a guessed token: the clock does not move, nothing is run."""
    from aiohttp import web

    target = served.url + "api/clock"
    script = f"""
      <script>
        const body = JSON.stringify({{step: "monday"}});
        const plain = fetch({target!r}, {{method: "POST", mode: "no-cors", body,
          headers: {{"Content-Type": "text/plain"}}}}).catch(() => null);
        const guessed = fetch({target!r}, {{method: "POST", body,
          headers: {{"Content-Type": "application/json", "X-Playground-Token": "guess"}}}})
          .catch(() => null);
        Promise.all([plain, guessed]).then(() => document.title = "sent");
      </script>"""

    async def evil(request: web.Request) -> web.Response:
        return web.Response(text=script, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", evil)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    before = served.playground.clock.now()
    requests_before = len(served.fake.requests)
    try:
        other = await browser.new_page()
        await other.goto(f"http://127.0.0.1:{port}/")
        await other.wait_for_function("document.title === 'sent'")
        await other.close()
    finally:
        await runner.cleanup()
    assert served.playground.clock.now() == before
    assert len(served.fake.requests) == requests_before


async def test_the_page_works_from_the_keyboard(page: Any, served: Served) -> None:
    """Tab to the command box, type a command, Enter runs it; Tab to a clock button, Enter."""

    async def tab_to(selector: str) -> None:
        for _ in range(60):
            if await page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
            await page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector}")

    await tab_to("#command")
    await page.keyboard.type("/affirmations status")
    await page.keyboard.press("Enter")
    await settled(page, served)
    assert await page.locator(".msg.ephemeral").count() == 1
    before = served.playground.clock.now()
    await tab_to("header button[data-step=hour]")
    await page.keyboard.press("Enter")
    await settled(page, served)
    assert served.playground.clock.now() > before
    await no_problems(page, served)


async def test_the_setup_wizard_takes_a_pick_and_a_form(
    page: Any, served: Served, artefacts: Path
) -> None:
    """A channel select and a button that opens a form, on the bot's own /setup message."""
    await open_channel(page, "general")
    await run(page, served, "setup")
    wizard = page.locator(".msg.ephemeral", has=page.locator("select")).last
    await wizard.locator("select").select_option(label="#affirmations")
    await wizard.locator("button:text-is('Choose')").click()
    await settled(page, served)
    await no_problems(page, served)
    await page.locator(".msg.ephemeral button:has-text('Affirmation time')").last.click()
    await settled(page, served)
    fields = page.locator("dialog[open] [data-custom-id]")
    await fields.first.fill("08:00")
    await page.click("#modal-submit")
    await settled(page, served)
    assert "08:00" in await page.inner_text("#messages")
    await page.screenshot(path=artefacts / "8-setup-wizard.png")
    await no_problems(page, served)


async def test_autocomplete_asks_the_bot_as_you_type(page: Any, served: Served) -> None:
    await open_channel(page, "general")
    await page.fill("#command", "/timezone set")
    await page.dispatch_event("#command", "input")
    await page.fill("#opt-timezone", "Europe/Lon")
    await page.wait_for_function("document.querySelector('#opt-timezone').dataset.choices > 0")
    offered = await page.locator("#opt-timezone-choices option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert "Europe/London" in offered
    await page.fill("#opt-timezone", "Europe/London")  # picked from the list
    await page.click("#run")
    await settled(page, served)
    assert "Europe/London" in await page.locator(".msg.ephemeral").last.inner_text()
    await no_problems(page, served)


async def test_the_bots_dms_show_in_the_members_dm(page: Any, served: Served) -> None:
    await be(page, "alex")
    await open_channel(page, "general")
    await run(page, served, "affirmations dm on", time="07:30")
    await clock(page, served, "morning")
    await page.click("#channels button.dm")
    await page.wait_for_selector("#channel-title:text-is('Direct messages with Rebound')")
    await settled(page, served)
    assert await page.locator("#messages .msg:not(.ephemeral)").count() >= 1
    await no_problems(page, served)


async def test_the_page_runs_under_its_own_content_security_policy(
    browser: Any, served: Served
) -> None:
    opened = await browser.new_page()
    problems: list[str] = []
    opened.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    opened.on("pageerror", lambda exc: problems.append(str(exc)))
    await opened.goto(served.url)
    await opened.wait_for_selector("#channels li")
    before = await opened.inner_text("#now")
    await opened.click("header button[data-step=hour]")
    for _ in range(100):
        if await opened.inner_text("#now") != before:
            break
        await asyncio.sleep(0.05)
    assert await opened.inner_text("#now") != before
    assert problems == []
    await opened.close()


async def test_changes_made_elsewhere_arrive_without_a_reload(page: Any, served: Served) -> None:
    """Another tab (here: the API) moves the clock; this page draws the morning post live."""
    import aiohttp

    await setup_affirmations(page, served)
    marker = await page.evaluate("window.notReloaded = true")
    assert marker is True
    async with aiohttp.ClientSession() as session:
        status, _ = await served.post(session, "/api/clock", {"step": "morning"})
        assert status == 200
    await page.locator("#messages .embed").first.wait_for()
    assert await page.evaluate("window.notReloaded") is True

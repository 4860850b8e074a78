"""Every slash command the bot synced can be run from the page: the test reads the list from the
page (which reads the emulator's state), runs each as the owner with valid options, and finds no
error on the page, no refused request, no failed interaction and no ERROR line."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Served
from .page_steps import no_problems, open_channel, settled

pytestmark = pytest.mark.slow

# Values a person would type, for options that need a particular shape.
TYPED = {
    ("accountability join", "time"): "09:00",
    ("affirmations dm on", "time"): "07:30",
    ("affirmations setup", "time"): "08:00",
    ("affirmations setup", "timezone"): "UTC",
    ("affirmations add", "text"): "You are more than one interview.",
    ("affirmations remove", "number"): "1",
    ("streak pause", "days"): "3",
    ("debrief delete", "number"): "1",
    ("debrief show", "number"): "1",
    ("timezone set", "timezone"): "Europe/London",
    ("encouragement roundup", "enabled"): "True",
    ("accountability channel", "channel"): "#accountability",
    ("affirmations setup", "channel"): "#affirmations",
}
PREFERRED_CHANNELS = ("#affirmations", "#stories", "#accountability", "#general")
MODAL_TEXT = "A kind word for a hard day, written slowly and meant."


async def fill_option(page: Any, leaf: dict[str, Any], option: dict[str, Any]) -> None:
    name = option["name"]
    field = page.locator(f"#opt-{name}")
    typed = TYPED.get((leaf["path"], name))
    if await field.evaluate("node => node.tagName") == "SELECT":
        labels = [t.strip() for t in await field.locator("option").all_inner_texts()]
        choices = [t for t in labels if t not in ("Choose…", "(leave out)")]
        wanted = typed if typed in choices else None
        wanted = wanted or next((c for c in PREFERRED_CHANNELS if c in choices), None)
        await field.select_option(label=wanted or choices[0])
    else:
        assert typed is not None, f"no value to type for /{leaf['path']} {name}"
        await field.fill(typed)


async def fill_modal(page: Any, served: Served) -> None:
    """Fill every field of the open form with something valid and send it."""
    dialog = page.locator("dialog[open]")
    for field in await dialog.locator("[data-custom-id]").all():
        tag = await field.evaluate("node => node.tagName")
        if tag == "SELECT":
            values = [
                v
                for v in await field.locator("option").evaluate_all("os => os.map(o => o.value)")
                if v
            ]
            if values:
                await field.select_option(values[0])
        elif await field.evaluate("node => node.required") or not await field.input_value():
            limit = await field.evaluate("node => node.maxLength")
            text = MODAL_TEXT if limit <= 0 else MODAL_TEXT[:limit]
            await field.fill(text)
    await page.click("#modal-submit")
    await settled(page, served)


async def test_every_synced_command_runs_from_the_page_as_the_owner(
    page: Any, served: Served
) -> None:
    await open_channel(page, "general")
    leaves = await page.evaluate("state.leaves")
    paths = [leaf["path"] for leaf in leaves]
    synced = {c["name"] for c in served.fake.commands()} | {
        c["name"] for c in served.fake.commands(served.fake.guilds[0])
    }
    assert {p.split()[0] for p in paths} == synced
    for leaf in leaves:
        await page.fill("#command", f"/{leaf['path']}")
        await page.dispatch_event("#command", "input")
        for option in leaf["options"]:
            if option.get("required") or (leaf["path"], option["name"]) in TYPED:
                await fill_option(page, leaf, option)
        await page.click("#run")
        await settled(page, served)
        if await page.locator("dialog[open]").count():
            await fill_modal(page, served)
        errors = await page.inner_text("#errors")
        assert errors == "", f"/{leaf['path']}: {errors}"
        assert served.fake.rejected == [], f"/{leaf['path']}"
        assert served.playground.errors == [], f"/{leaf['path']}"
    await no_problems(page, served)

"""What a visitor does on the page, step by step, for the browser tests."""

from __future__ import annotations

from typing import Any

from .conftest import Served

STORY = (
    "Made it to the **final round** after six weeks. The panel loved the system design part, "
    "then a short email said they went with someone else."
)


async def be(page: Any, person: str) -> None:
    await page.select_option("#who", person)
    await page.wait_for_function(f"document.querySelector('#who').value === {person!r}")


async def open_channel(page: Any, name: str) -> None:
    await page.click(f"#channels button:text-is('# {name}')")
    await page.wait_for_selector(f"#channel-title:text-is('{name}')")


async def settled(page: Any, served: Served) -> None:
    """The page drew the playground's latest state."""
    await page.wait_for_function(
        f"Number(document.body.dataset.version) >= {served.playground.version}"
        " && !document.body.classList.contains('busy')"
    )


async def run(page: Any, served: Served, command: str, **options: str) -> None:
    """Type /command, fill its options (by label for pickers, else text) and send."""
    await page.fill("#command", f"/{command}")
    await page.dispatch_event("#command", "input")
    for name, value in options.items():
        field = page.locator(f"#opt-{name}")
        if await field.evaluate("node => node.tagName") == "SELECT":
            await field.select_option(label=value)
        else:
            await field.fill(value)
    await page.click("#run")
    await settled(page, served)


async def clock(page: Any, served: Served, step: str) -> None:
    await page.click(f"header button[data-step={step}]")
    await settled(page, served)


async def submit_modal(page: Any, served: Served, values: dict[str, str]) -> None:
    await page.wait_for_selector("dialog[open]")
    for custom_id, value in values.items():
        field = page.locator(f"#modal-{custom_id}")
        if await field.evaluate("node => node.tagName") == "SELECT":
            await field.select_option(value)
        else:
            await field.fill(value)
    await page.click("#modal-submit")
    await settled(page, served)


async def no_problems(page: Any, served: Served) -> None:
    """Nothing refused, no failed interaction, no ERROR line: on the page and underneath."""
    assert await page.inner_text("#errors") == ""
    assert await page.locator("#problems .error").count() == 0
    assert served.playground.errors == []
    assert served.fake.rejected == []
    assert page.problems == []

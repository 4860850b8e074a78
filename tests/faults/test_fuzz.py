"""Every text option and modal field of every command, fuzzed through the emulator (a short run;
the long one is `python -m benchmarks.faults fuzz`, ≥10,000 inputs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fakecord import FakeDiscord
from fakecord.messages import build_message
from tests.helpers.faults.fuzz import leaves, ping_risks, run


def test_leaves_walk_groups_and_subcommands() -> None:
    payload = [
        {"name": "about", "type": 1},
        {
            "name": "affirmations",
            "type": 1,
            "options": [
                {"name": "status", "type": 1},
                {
                    "name": "dm",
                    "type": 2,
                    "options": [
                        {"name": "on", "type": 1, "options": [{"name": "time", "type": 3}]}
                    ],
                },
            ],
        },
        {"name": "Report", "type": 3},  # a message command: not a slash command
    ]
    assert [leaf.path for leaf in leaves(payload)] == [
        "about",
        "affirmations dm on",
        "affirmations status",
    ]
    assert leaves(payload)[1].options[0]["name"] == "time"


@pytest.mark.slow
async def test_fuzzed_commands_and_modals_break_nothing(tmp_path: Path) -> None:
    async with FakeDiscord(allow_rejections=True) as fake:
        report = await run(fake, tmp_path, count=300)
    assert report.inputs == 300
    assert len(report.commands) >= 5
    assert report.errors == []
    assert report.unanswered == []
    assert report.ping_risks == []
    assert report.rejected == []
    assert report.invocation_errors == 0


@pytest.mark.slow
async def test_the_mention_check_flags_what_could_ping(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        guild = fake.create_guild("Circle")
        chan = guild.create_text_channel("general")
        role = guild.create_role("job seekers", mentionable=True)
        alice = guild.add_member("alice")
        bodies: dict[str, dict[str, Any]] = {
            "safe": {"content": f"@everyone <@&{role.id}>", "allowed_mentions": {"parse": []}},
            "configured": {
                "content": f"<@&{role.id}>",
                "allowed_mentions": {"parse": [], "roles": [str(role.id)]},
            },
            "everyone": {"content": "@everyone", "allowed_mentions": {"parse": ["everyone"]}},
            "user": {"content": f"<@{alice.user.id}>"},  # no allowed_mentions: parses all
        }
        ids: dict[str, str] = {}
        for name, body in bodies.items():
            msg = build_message(fake.state, chan, fake.bot_user, body, [])
            fake.state.store_message(chan, msg)
            ids[name] = msg["id"]

        def flagged(configured: set[str]) -> set[str]:
            risks = ping_risks(fake, configured_roles=configured)
            return {name for name, mid in ids.items() if any(f"message {mid} " in r for r in risks)}

        assert flagged({str(role.id)}) == {"everyone", "user"}
        assert flagged(set()) == {"everyone", "user", "configured"}

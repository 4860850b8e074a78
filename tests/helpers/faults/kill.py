"""kill -9 while members write: every acknowledged write is stored after restart, none doubled.

One bot process on the local Discord; members use a writing command (a scenario of
`benchmarks/scenarios.py`: /checkin once merged, `/affirmations dm on` until then) at a steady
rate; at a random moment the process gets SIGKILL. Then it starts again on the same data, and:

- every interaction whose success acknowledgement reached the emulator has its row in the DB;
- every member of the trial sends the same command again (a member retrying after the outage),
  and no (member, day) is stored twice.

Used by tests/faults/test_kill.py (a few trials, seconds) and `benchmarks.faults kill` (≥ 20).
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.harness import BotProcess
from benchmarks.scenarios import Scenario
from fakecord import FakeChannel, FakeDiscord, FakeMember, InteractionResult


@dataclass
class KillTrial:
    kill_after_s: float
    sent: int
    acknowledged: int
    missing_after_restart: list[int] = field(default_factory=list)  # member ids acked, not stored
    doubled: int = 0
    stored: int = 0


@dataclass
class KillReport:
    trials: list[KillTrial]

    @property
    def acknowledged(self) -> int:
        return sum(t.acknowledged for t in self.trials)

    @property
    def lost(self) -> int:
        return sum(len(t.missing_after_restart) for t in self.trials)

    @property
    def doubled(self) -> int:
        return sum(t.doubled for t in self.trials)


def build_members(
    fake: FakeDiscord, servers: int, per_server: int
) -> list[tuple[FakeMember, FakeChannel]]:
    people: list[tuple[FakeMember, FakeChannel]] = []
    for s in range(servers):
        guild = fake.create_guild(f"Kill Circle {s}")
        channel = guild.create_text_channel("general")
        people += [(guild.add_member(f"k{s}-{m}"), channel) for m in range(per_server)]
    random.Random(7).shuffle(people)
    return people


def _acked(scenario: Scenario, r: InteractionResult) -> bool:
    return r.type is not None and not r.missed_deadline and scenario.succeeded(r.content)


async def _send(
    fake: FakeDiscord, scenario: Scenario, member: FakeMember, channel: FakeChannel, n: int
) -> InteractionResult:
    return await fake.start_invoke(
        member, channel, scenario.command, **scenario.options(member, channel, n)
    )


async def run_trials(
    fake: FakeDiscord,
    data_dir: Path,
    scenario: Scenario,
    people: list[tuple[FakeMember, FakeChannel]],
    *,
    trials: int,
    per_trial: int,
    rate_per_s: float = 250.0,
    kill_window: tuple[float, float] = (0.15, 1.0),
    seed: int = 1,
) -> KillReport:
    """`trials` kills of one bot process; `per_trial` members each (distinct across trials)."""
    assert scenario.stored_sql is not None, "a kill run needs a scenario that stores something"
    assert len(people) >= trials * per_trial
    rng = random.Random(seed)
    bot = BotProcess(fake, data_dir)
    await bot.start()
    await bot.connected()
    await bot.commands_synced()
    out: list[KillTrial] = []
    for t in range(trials):
        group = people[t * per_trial : (t + 1) * per_trial]
        kill_after = rng.uniform(*kill_window)
        results: list[InteractionResult] = []

        async def load(
            group: list[tuple[FakeMember, FakeChannel]] = group,
            results: list[InteractionResult] = results,
        ) -> None:
            began = time.monotonic()
            for i, (member, channel) in enumerate(group):
                delay = began + i / rate_per_s - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                results.append(await _send(fake, scenario, member, channel, i))

        sender = asyncio.create_task(load())
        await asyncio.sleep(kill_after)
        await bot.kill()
        sender.cancel()
        await asyncio.gather(sender, return_exceptions=True)
        await fake.settle()
        acked = [r for r in results if _acked(scenario, r)]
        # The interactions the dead process never answered are abandoned (Discord would show
        # the member "the application did not respond"); stop waiting for them.
        for r in results:
            if r.type is None:
                r.pending.missed_deadline = True

        await bot.start()
        await bot.connected()
        acked_ids = [r.pending.user.id for r in acked]
        missing = [uid for uid in acked_ids if scenario.count_stored(bot.db_path, [uid]) == 0]
        # Everyone in the trial tries again (the member whose answer never came does).
        retries = [await _send(fake, scenario, m, c, i) for i, (m, c) in enumerate(group)]
        await asyncio.gather(*(fake.answered(r) for r in retries))
        await fake.settle()
        ids = [m.user.id for m, _ in group]
        doubled = scenario.count_doubled(bot.db_path, ids)
        stored = scenario.count_stored(bot.db_path, ids) or 0
        out.append(
            KillTrial(
                kill_after_s=kill_after,
                sent=len(results),
                acknowledged=len(acked),
                missing_after_restart=missing,
                doubled=doubled,
                stored=stored,
            )
        )
    await bot.stop()
    return KillReport(out)

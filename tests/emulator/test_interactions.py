"""Commands, autocomplete, buttons, selects and modals through the real discord.py client."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import discord
import pytest
from discord import app_commands

from fakecord import FakeDiscord, InvocationError
from tests.emulator.conftest import Client, World, running

Seen = dict[str, Any]


class EncourageView(discord.ui.View):
    def __init__(self, seen: Seen) -> None:
        super().__init__(timeout=30)
        self.seen = seen

    @discord.ui.button(label="Encourage", style=discord.ButtonStyle.primary, custom_id="enc")
    async def encourage(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.seen["clicked_by"] = interaction.user.id
        button.disabled = True
        await interaction.response.edit_message(content="encouraged!", view=self)

    @discord.ui.select(
        custom_id="mood",
        placeholder="How do you feel?",
        options=[
            discord.SelectOption(label="Sad", value="sad"),
            discord.SelectOption(label="Ok", value="ok"),
        ],
    )
    async def mood(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        self.seen["mood"] = select.values
        await interaction.response.send_message(f"mood: {select.values[0]}", ephemeral=True)


class StoryModal(discord.ui.Modal, title="Share your story"):
    what: discord.ui.TextInput[StoryModal] = discord.ui.TextInput(
        label="What happened?", style=discord.TextStyle.paragraph
    )
    stage: discord.ui.TextInput[StoryModal] = discord.ui.TextInput(
        label="Stage", required=False, max_length=20
    )

    def __init__(self, seen: Seen) -> None:
        super().__init__(timeout=30)
        self.seen = seen

    async def on_submit(self, interaction: discord.Interaction) -> None:
        self.seen["story"] = (self.what.value, self.stage.value)
        await interaction.response.send_message("thanks", ephemeral=True)


class LabelModal(discord.ui.Modal, title="Check in"):
    feeling: discord.ui.Label[LabelModal] = discord.ui.Label(
        text="Feeling", component=discord.ui.TextInput(custom_id="feel")
    )

    def __init__(self, seen: Seen) -> None:
        super().__init__(timeout=30)
        self.seen = seen

    async def on_submit(self, interaction: discord.Interaction) -> None:
        assert isinstance(self.feeling.component, discord.ui.TextInput)
        self.seen["feeling"] = self.feeling.component.value
        await interaction.response.send_message("noted")


def make_client(seen: Seen) -> Client:
    client = Client()
    tree = client.tree

    streak = app_commands.Group(name="streak", description="Streaks")
    admin = app_commands.Group(name="admin", description="Admin tools", parent=streak)

    @streak.command(name="show", description="Show a streak")
    async def show(
        interaction: discord.Interaction,
        days: int,
        who: discord.Member | None = None,
        where: discord.TextChannel | None = None,
        role: discord.Role | None = None,
        public: bool = False,
        ratio: float = 1.0,
    ) -> None:
        seen["show"] = {
            "days": days,
            "who": who.id if who else None,
            "where": where.id if where else None,
            "role": role.id if role else None,
            "public": public,
            "ratio": ratio,
            "channel": interaction.channel_id,
            "guild": interaction.guild_id,
            "perms": interaction.permissions.value,
            "app_perms": interaction.app_permissions.value,
        }
        await interaction.response.send_message(f"{days} days", ephemeral=not public)

    @admin.command(name="reset", description="Reset a streak")
    async def reset(interaction: discord.Interaction, member: discord.Member) -> None:
        seen["reset"] = (member.id, interaction.permissions.manage_guild)
        await interaction.response.send_message(f"reset {member.display_name}", ephemeral=True)

    @tree.command(name="purge", description="Moderators only")
    @app_commands.default_permissions(manage_guild=True)
    async def purge(interaction: discord.Interaction) -> None:
        seen["purge"] = interaction.permissions.manage_guild
        await interaction.response.send_message("purged", ephemeral=True)

    @tree.command(name="setup", description="Set up")
    @app_commands.guild_only()
    async def setup(interaction: discord.Interaction, timezone: str) -> None:
        await interaction.response.send_message(f"tz {timezone}", ephemeral=True)

    @setup.autocomplete("timezone")
    async def tz_complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        zones = ["Europe/Paris", "Europe/Berlin", "America/New_York"]
        return [app_commands.Choice(name=z, value=z) for z in zones if current.lower() in z.lower()]

    @tree.command(name="panel", description="A panel with a button and a select")
    async def panel(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("panel", view=EncourageView(seen))

    @tree.command(name="story", description="Share a story")
    async def story(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(StoryModal(seen))

    @tree.command(name="checkin", description="Check in")
    async def checkin(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(LabelModal(seen))

    @tree.command(name="slow", description="Deferred work")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("first followup")
        await interaction.followup.send("second followup", ephemeral=True)
        await interaction.edit_original_response(content="edited original")

    @tree.command(name="twice", description="Answers twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("one")
        route = discord.http.Route(
            "POST",
            "/interactions/{interaction_id}/{token}/callback",
            interaction_id=interaction.id,
            token=interaction.token,
        )
        try:
            await client.http.request(route, json={"type": 4, "data": {"content": "two"}})
        except discord.HTTPException as exc:
            seen["twice"] = (exc.status, exc.code)

    @tree.command(name="sleepy", description="Too slow")
    async def sleepy(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.4)
        try:
            await interaction.response.send_message("late")
        except discord.NotFound as exc:
            seen["sleepy"] = exc.code

    @tree.command(name="dm", description="Works in DMs")
    @app_commands.allowed_contexts(guilds=True, dms=True)
    async def dm(interaction: discord.Interaction) -> None:
        seen["dm"] = (interaction.guild_id, interaction.user.id, type(interaction.channel).__name__)
        await interaction.response.send_message("hi in dm")

    tree.add_command(streak)
    return client


async def synced(client: Client, fake: FakeDiscord, world: World) -> None:
    await client.tree.sync()
    await client.tree.sync(guild=discord.Object(world.guild.id))


async def test_sync_global_and_guild_commands(fake: FakeDiscord, world: World) -> None:
    client = make_client({})
    client.tree.add_command(
        app_commands.Command(name="local", description="guild only", callback=_noop),
        guild=discord.Object(world.guild.id),
    )
    async with running(client, fake):
        global_cmds = await client.tree.sync()
        guild_cmds = await client.tree.sync(guild=discord.Object(world.guild.id))
        assert {c.name for c in global_cmds} >= {"streak", "setup", "panel", "story"}
        assert [c.name for c in guild_cmds] == ["local"]
        assert {c["name"] for c in fake.commands()} == {c.name for c in global_cmds}
        assert fake.commands(world.guild)[0]["guild_id"] == str(world.guild.id)
        fetched = await client.tree.fetch_commands()
        assert {c.id for c in fetched} == {c.id for c in global_cmds}
        again = await client.tree.sync()
        assert {c.id for c in again} == {c.id for c in global_cmds}  # ids are stable


async def _noop(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("ok")


async def test_slash_command_with_group_and_typed_options(fake: FakeDiscord, world: World) -> None:
    seen: Seen = {}
    role = world.guild.create_role("cheerleaders", mentionable=True)
    async with running(make_client(seen), fake) as client:
        await client.tree.sync()
        r = await fake.invoke(
            world.alice, world.chan, "streak show",
            days=7, who=world.mod, where=world.chan, role=role, public=True, ratio=0.5,
        )  # fmt: skip
        assert r.type == 4 and r.content == "7 days" and not r.ephemeral
        assert not r.missed_deadline
        assert seen["show"] == {
            "days": 7,
            "who": world.mod.id,
            "where": world.chan.id,
            "role": role.id,
            "public": True,
            "ratio": 0.5,
            "channel": world.chan.id,
            "guild": world.guild.id,
            "perms": world.alice.permissions_in(world.chan),
            "app_perms": world.guild.bot_member.permissions_in(world.chan),
        }
        assert r.message is not None and r.message in world.chan.messages
        meta = r.message["interaction_metadata"]
        assert meta["user"]["id"] == str(world.alice.id) and meta["type"] == 2

        r2 = await fake.invoke(world.alice, world.chan, "streak show", days=3)
        assert r2.ephemeral and r2.content == "3 days"
        assert r2.message is not None and r2.message not in world.chan.messages


async def test_subcommand_group_and_default_permissions(fake: FakeDiscord, world: World) -> None:
    seen: Seen = {}
    async with running(make_client(seen), fake) as client:
        await client.tree.sync()
        r = await fake.invoke(world.mod, world.chan, "streak admin reset", member=world.alice)
        assert r.content == "reset alice"
        assert seen["reset"] == (world.alice.id, True)
        r = await fake.invoke(world.mod, world.chan, "purge")
        assert r.content == "purged" and not r.lacked_default_permissions
        assert seen["purge"] is True
        # a member without manage_guild: Discord's client would hide the command, but the
        # emulator dispatches it so the bot's own check can be tested; it is recorded
        r = await fake.invoke(world.alice, world.chan, "purge")
        assert r.lacked_default_permissions
        assert fake.permission_bypasses == [r.pending]
        assert seen["purge"] is False


async def test_invocation_mistakes_are_test_errors(fake: FakeDiscord, world: World) -> None:
    async with running(make_client({}), fake) as client:
        await client.tree.sync()
        with pytest.raises(InvocationError, match="no option 'dayz'"):
            await fake.invoke(world.alice, world.chan, "streak show", dayz=1)
        with pytest.raises(InvocationError, match="requires option 'days'"):
            await fake.invoke(world.alice, world.chan, "streak show")
        with pytest.raises(InvocationError, match="is a group"):
            await fake.invoke(world.alice, world.chan, "streak admin")
        with pytest.raises(InvocationError, match="no slash command 'nope'"):
            await fake.invoke(world.alice, world.chan, "nope")
        with pytest.raises(InvocationError, match="needs an int"):
            await fake.invoke(world.alice, world.chan, "streak show", days="7")


async def test_commands_in_threads_and_dms(fake: FakeDiscord, world: World) -> None:
    seen: Seen = {}
    thread = fake.create_thread(world.chan, "support", owner=world.alice)
    async with running(make_client(seen), fake) as client:
        await client.tree.sync()
        r = await fake.invoke(world.alice, thread, "streak show", days=2, public=True)
        assert seen["show"]["channel"] == thread.id
        assert r.message in thread.messages

        dm = fake.dm_channel(world.alice)
        r = await fake.invoke(world.alice, dm, "dm")
        assert seen["dm"] == (None, world.alice.id, "DMChannel")
        assert r.interaction["user"]["id"] == str(world.alice.id)
        assert "member" not in r.interaction and "guild_id" not in r.interaction
        assert fake.dm_messages(world.alice) == [r.message]
        with pytest.raises(InvocationError, match="not available in DMs"):
            await fake.invoke(world.alice, dm, "setup", timezone="x")


async def test_autocomplete_returns_the_bots_choices(fake: FakeDiscord, world: World) -> None:
    async with running(make_client({}), fake) as client:
        await client.tree.sync()
        choices = await fake.autocomplete(
            world.alice, world.chan, "setup", focused="timezone", timezone="europe"
        )
        assert [c["value"] for c in choices] == ["Europe/Paris", "Europe/Berlin"]
        assert await fake.autocomplete(world.alice, world.chan, "setup", focused="timezone") != []


async def test_button_click_updates_the_message(fake: FakeDiscord, world: World) -> None:
    seen: Seen = {}
    async with running(make_client(seen), fake) as client:
        await client.tree.sync()
        panel = await fake.invoke(world.alice, world.chan, "panel")
        assert panel.message is not None
        r = await fake.click(world.mod, panel.message, label="Encourage")
        assert r.type == 7 and seen["clicked_by"] == world.mod.id
        assert r.message is panel.message and panel.content == "encouraged!"
        button = panel.components[0]["components"][0]
        assert button["disabled"] is True
        with pytest.raises(InvocationError, match="disabled"):
            await fake.click(world.mod, panel.message, custom_id="enc")


async def test_select_menu(fake: FakeDiscord, world: World) -> None:
    seen: Seen = {}
    async with running(make_client(seen), fake) as client:
        await client.tree.sync()
        panel = await fake.invoke(world.alice, world.chan, "panel")
        assert panel.message is not None
        r = await fake.select(world.alice, panel.message, custom_id="mood", values=["sad"])
        assert seen["mood"] == ["sad"] and r.content == "mood: sad" and r.ephemeral
        meta = r.message["interaction_metadata"] if r.message else {}
        assert meta["interacted_message_id"] == panel.message["id"]
        with pytest.raises(InvocationError, match="not an option"):
            await fake.select(world.alice, panel.message, custom_id="mood", values=["angry"])


async def test_modal_submit_classic_and_label_layouts(fake: FakeDiscord, world: World) -> None:
    seen: Seen = {}
    async with running(make_client(seen), fake) as client:
        await client.tree.sync()
        r = await fake.invoke(world.alice, world.chan, "story")
        assert r.type == 9 and r.modal is not None and r.modal["title"] == "Share your story"
        done = await fake.submit_modal(
            world.alice, world.chan, r.modal, {"What happened?": "No offer"}
        )
        assert seen["story"] == ("No offer", "")
        assert done.content == "thanks" and done.ephemeral
        meta = done.message["interaction_metadata"] if done.message else {}
        assert meta["type"] == 5 and meta["triggering_interaction_metadata"]["type"] == 2

        r = await fake.invoke(world.alice, world.chan, "checkin")
        assert r.modal is not None and r.modal["components"][0]["type"] == 18
        done = await fake.submit_modal(world.alice, world.chan, r.modal, {"Feeling": "better"})
        assert seen["feeling"] == "better" and done.content == "noted"
        with pytest.raises(InvocationError, match="no field"):
            await fake.submit_modal(world.alice, world.chan, r.modal, {"feel": "ok", "Nope": "x"})


async def test_defer_followups_and_edit_original(fake: FakeDiscord, world: World) -> None:
    async with running(make_client({}), fake) as client:
        await client.tree.sync()
        r = await fake.invoke(world.alice, world.chan, "slow")
        assert r.type == 5 and r.deferred and r.ephemeral
        # the first followup replaces the "thinking" message; the edit then changes it again
        assert r.content == "edited original"
        assert [m["content"] for m in r.followups] == ["edited original", "second followup"]
        assert r.followups[0]["id"] == r.message["id"] if r.message else False
        assert not any(m["content"] == "second followup" for m in world.chan.messages)
        assert r.message is not None and not r.message["flags"] & (1 << 7)


async def test_second_initial_response_is_rejected_with_40060(
    fake: FakeDiscord, world: World
) -> None:
    seen: Seen = {}
    async with running(make_client(seen), fake) as client:
        await client.tree.sync()
        r = await fake.invoke(world.alice, world.chan, "twice")
        assert r.content == "one"
        assert seen["twice"] == (400, 40060)


async def test_missed_deadline_is_reported() -> None:
    async with FakeDiscord(interaction_deadline=0.2) as fake:
        guild = fake.create_guild("g")
        chan = guild.create_text_channel("c")
        alice = guild.add_member("alice")
        seen: Seen = {}
        async with running(make_client(seen), fake) as client:
            await client.tree.sync()
            r = await fake.invoke(alice, chan, "sleepy")
            assert r.missed_deadline and r.type is None and r.message is None
            await fake.settle(quiet=0.5)
            assert seen["sleepy"] == 10062
            callback = fake.requests_to(
                "POST", "/interactions/{interaction_id}/{interaction_token}/callback"
            )
            assert callback[-1].status == 404


async def test_interaction_tokens_expire_after_15_minutes() -> None:
    async with FakeDiscord(deferred_timeout=0.05) as fake:
        guild = fake.create_guild("g")
        chan = guild.create_text_channel("c")
        alice = guild.add_member("alice")
        go = asyncio.Event()
        outcome: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        client = Client()

        @client.tree.command(name="later", description="Answers much later")
        async def later(interaction: discord.Interaction) -> None:
            await interaction.response.defer()
            await go.wait()
            try:
                await interaction.followup.send("too late")
            except discord.HTTPException as exc:
                outcome.set_result(exc.code)

        async with running(client, fake):
            await client.tree.sync()
            r = await fake.invoke(alice, chan, "later")
            assert r.type == 5 and r.followups == []
            fake.advance_time(15 * 60 + 1)
            go.set()
            assert await asyncio.wait_for(outcome, 5) == 50027
            assert r.followups == []


async def test_user_select(fake: FakeDiscord, world: World) -> None:
    picked: asyncio.Future[list[int]] = asyncio.get_running_loop().create_future()

    class PickView(discord.ui.View):
        @discord.ui.select(cls=discord.ui.UserSelect, custom_id="who", max_values=2)
        async def who(
            self, interaction: discord.Interaction, select: discord.ui.UserSelect
        ) -> None:
            picked.set_result([u.id for u in select.values])
            await interaction.response.defer()

    client = Client()

    @client.tree.command(name="pick", description="Pick people")
    async def pick(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pick", view=PickView())

    async with running(client, fake):
        await client.tree.sync()
        r = await fake.invoke(world.alice, world.chan, "pick")
        assert r.message is not None
        done = await fake.select(world.alice, r.message, values=[world.mod, world.alice])
        assert done.type == 6 and done.message is r.message
        assert await asyncio.wait_for(picked, 5) == [world.mod.id, world.alice.id]


async def test_interaction_response_with_a_file(fake: FakeDiscord, world: World) -> None:
    client = Client()

    @client.tree.command(name="card", description="Sends a card")
    async def card(interaction: discord.Interaction) -> None:
        file = discord.File(io.BytesIO(b"PNGDATA"), "card.png")
        await interaction.response.send_message("your card", file=file)
        await interaction.edit_original_response(content="your card (edited)")

    async with running(client, fake):
        await client.tree.sync()
        r = await fake.invoke(world.alice, world.chan, "card")
        assert r.content == "your card (edited)"
        assert [(f.filename, f.data) for f in r.files] == [("card.png", b"PNGDATA")]
        callback = fake.requests_to(
            "POST", "/interactions/{interaction_id}/{interaction_token}/callback"
        )
        assert callback[-1].json["type"] == 4 and callback[-1].files[0].filename == "card.png"


async def test_a_forum_channel_option_syncs(fake: FakeDiscord, world: World) -> None:
    """discord.py sends GUILD_MEDIA (16) for a ForumChannel option; Discord takes it, though the
    spec's ChannelTypes stops at 15."""

    async def where(interaction: discord.Interaction, channel: discord.ForumChannel) -> None:
        await interaction.response.send_message("ok")

    client = make_client({})
    client.tree.add_command(
        app_commands.Command(name="where", description="pick a forum", callback=where)
    )
    async with running(client, fake):
        synced = await client.tree.sync()
        (option,) = next(c for c in synced if c.name == "where").options
        assert 16 in [t.value for t in option.channel_types]  # type: ignore[union-attr]
        assert fake.unexpected_rejections == []


async def test_options_discord_never_sends_are_test_errors(fake: FakeDiscord, world: World) -> None:
    seen: Seen = {}
    async with running(make_client(seen), fake) as client:
        await client.tree.sync()
        with pytest.raises(InvocationError, match="6000"):
            await fake.invoke(world.alice, world.chan, "setup", timezone="x" * 6001)
        with pytest.raises(InvocationError, match="2\\^53"):
            await fake.invoke(world.alice, world.chan, "streak show", days=2**53)
        with pytest.raises(InvocationError, match="2\\^53"):
            await fake.invoke(world.alice, world.chan, "streak show", days=-(2**53))
        with pytest.raises(InvocationError, match="6000"):
            await fake.autocomplete(
                world.alice, world.chan, "setup", focused="timezone", timezone="y" * 6001
            )
        answered = await fake.autocomplete(
            world.alice, world.chan, "setup", focused="timezone", timezone="y" * 6000
        )
        assert answered == []
        await fake.invoke(world.alice, world.chan, "streak show", days=2**53 - 1)
        assert seen["show"]["days"] == 2**53 - 1


async def test_server_only_permissions_do_not_pass_through_channel_overwrites(
    fake: FakeDiscord, world: World
) -> None:
    manage_guild = discord.Permissions(manage_guild=True).value
    send = discord.Permissions(send_messages=True).value
    fake.set_permissions(world.chan, world.alice, allow=manage_guild | send)
    assert not world.alice.permissions_in(world.chan) & manage_guild
    seen: Seen = {}
    async with running(make_client(seen), fake) as client:
        await client.tree.sync()
        await fake.invoke(world.alice, world.chan, "streak show", days=1)
        assert not seen["show"]["perms"] & manage_guild
        # A channel permission still passes, and a server-wide grant still counts.
        fake.set_permissions(world.chan, world.alice, deny=send)
        assert not world.alice.permissions_in(world.chan) & send
        assert world.mod.permissions_in(world.chan) & manage_guild

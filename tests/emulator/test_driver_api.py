"""Every name of the driver API, and each name the emulator's modules defined, before the split.

Tests outside this project use them (``fake.requests``, ``fake.latency = 0.2``,
``from tests.fakecord.interactions import walk_components`` ...): they must keep working, even
where they became thin aliases of the objects that now hold them (``fake.rest``, ``fake.faults``).
"""

from __future__ import annotations

import importlib
import inspect

import pytest

from fakecord import FakeDiscord

FAKEDISCORD_NAMES = [
    "add_bot_to_guild",
    "advance_time",
    "answered",
    "api_base",
    "application_id",
    "archive_thread",
    "attachment_bytes",
    "autocomplete",
    "base_url",
    "bot_user",
    "click",
    "close_codes",
    "close_dms",
    "commands",
    "connections",
    "count_429",
    "create_guild",
    "create_thread",
    "create_user",
    "delete_channel",
    "dispatch",
    "dm_channel",
    "dm_messages",
    "drop_gateway",
    "end_outage",
    "expect_rejections",
    "expect_unknown_routes",
    "fail_after_store",
    "fail_next",
    "gateway_url",
    "global_rate_limit",
    "granted_intents",
    "guilds",
    "guilds_per_shard",
    "hold_next",
    "identifies",
    "invalid_request_count",
    "invalidate_session",
    "invoke",
    "jitter",
    "latency",
    "max_concurrency",
    "message",
    "nonce_hits",
    "nonce_window",
    "open_dms",
    "patch_discord",
    "permission_bypasses",
    "problems",
    "reactions",
    "rejected",
    "remove_bot_from_guild",
    "requests",
    "requests_to",
    "response_problems",
    "select",
    "send_reconnect",
    "sessions",
    "set_bot_permissions",
    "set_permissions",
    "set_route_limit",
    "settle",
    "start",
    "start_invoke",
    "start_modal",
    "start_outage",
    "stop",
    "submit_modal",
    "token",
    "unexpected_rejections",
    "unknown_routes",
    "user_message",
    "wait_for_disconnect",
    "wait_for_identify",
    "wait_for_resume",
]

#: attributes set on every instance
INSTANCE_NAMES = [
    "deferred_timeout",
    "faults",
    "handlers",
    "hub",
    "interactions",
    "invalid",
    "limiter",
    "reconnect_grace",
    "recorder",
    "rest",
    "sent_interactions",
    "settle_quiet",
    "state",
]

#: knobs a test sets (``fake.latency = 0.1``): each must read back what was set
SETTABLE = {
    "latency": 0.25,
    "jitter": 0.01,
    "nonce_window": 12.0,
    "granted_intents": 1 << 1,
    "guilds_per_shard": 7,
    "max_concurrency": 4,
    "global_rate_limit": 9,
    "settle_quiet": 0.05,
    "deferred_timeout": 1.5,
    "reconnect_grace": 2.0,
}

MODULE_NAMES: dict[str, list[str]] = {
    "checks": [
        "ARCHIVE_DURATIONS",
        "CONTENT_MAX",
        "EMBEDS_MAX",
        "EMBED_TOTAL_MAX",
        "IS_COMPONENTS_V2",
        "Path",
        "check_allowed_mentions",
        "check_callback",
        "check_command",
        "check_command_list",
        "check_message",
        "check_modal",
        "check_request",
        "check_thread",
        "valid_command_name",
    ],
    "driver": ["EVENT_REACTION_QUIET", "FakeDiscord", "running_fake"],
    "gateway": [
        "ALL_INTENTS",
        "DISPATCH",
        "GatewayConnection",
        "GatewayHub",
        "GatewaySession",
        "HEARTBEAT",
        "HEARTBEAT_ACK",
        "HEARTBEAT_INTERVAL_MS",
        "HELLO",
        "IDENTIFY",
        "INVALID_SESSION",
        "MAX_BUFFER",
        "MAX_GUILDS_PER_SESSION",
        "PRESENCE_UPDATE",
        "RECONNECT",
        "REQUEST_GUILD_MEMBERS",
        "RESUME",
        "VOICE_STATE_UPDATE",
    ],
    "handlers": ["Handlers"],
    "interactions": [
        "ALLOWED_CALLBACKS",
        "APPLICATION_COMMAND",
        "AUTOCOMPLETE",
        "FakeFile",
        "InteractionManager",
        "InteractionResult",
        "InvocationError",
        "MAX_SAFE_INTEGER",
        "MAX_STRING_OPTION",
        "MESSAGE_COMPONENT",
        "MODAL_SUBMIT",
        "OPTION_TYPES",
        "PING",
        "PendingInteraction",
        "Resolver",
        "TOKEN_LIFETIME",
        "build_command_options",
        "channel_payload",
        "files_of",
        "find_component",
        "member_payload",
        "modal_submission",
        "resolved_channel",
        "walk_components",
    ],
    "messages": [
        "ATTACHMENT_SIZE_LIMIT",
        "DEFAULT_PARSE",
        "EPHEMERAL",
        "EVERYONE",
        "IS_COMPONENTS_V2",
        "LOADING",
        "ROLE_MENTION",
        "SETTABLE_FLAGS",
        "SUPPRESS_EMBEDS",
        "SUPPRESS_NOTIFICATIONS",
        "StoredFile",
        "USER_MENTION",
        "UploadedFile",
        "WEBHOOK_DEFAULT_PARSE",
        "apply_edit",
        "author_permissions",
        "build_attachments",
        "build_message",
        "compute_mentions",
        "ensure_not_empty",
        "normalize_components",
        "normalize_embeds",
        "public",
    ],
    "models": [
        "ANNOUNCEMENT",
        "ANNOUNCEMENT_THREAD",
        "AnyChannel",
        "DM",
        "FORUM",
        "FakeChannel",
        "FakeDMChannel",
        "FakeGuild",
        "FakeMember",
        "FakeRole",
        "FakeThread",
        "FakeUser",
        "ForumTag",
        "PRIVATE_THREAD",
        "PUBLIC_THREAD",
        "TEXT",
        "as_user",
        "channel_guild",
        "snowflake_of",
    ],
    "permissions": [
        "ADD_REACTIONS",
        "ADMINISTRATOR",
        "ALL",
        "ATTACH_FILES",
        "BAN_MEMBERS",
        "CHANGE_NICKNAME",
        "CHANNEL_APPLICABLE",
        "CONNECT",
        "CREATE_INSTANT_INVITE",
        "CREATE_PRIVATE_THREADS",
        "CREATE_PUBLIC_THREADS",
        "DEFAULT_BOT",
        "DEFAULT_EVERYONE",
        "DM_PERMISSIONS",
        "EMBED_LINKS",
        "KICK_MEMBERS",
        "MANAGE_CHANNELS",
        "MANAGE_GUILD",
        "MANAGE_GUILD_EXPRESSIONS",
        "MANAGE_MESSAGES",
        "MANAGE_NICKNAMES",
        "MANAGE_ROLES",
        "MANAGE_THREADS",
        "MANAGE_WEBHOOKS",
        "MEMBER_OVERWRITE",
        "MENTION_EVERYONE",
        "MODERATE_MEMBERS",
        "Overwrite",
        "PRIORITY_SPEAKER",
        "READ_MESSAGE_HISTORY",
        "ROLE_OVERWRITE",
        "SEND_MESSAGES",
        "SEND_MESSAGES_IN_THREADS",
        "SEND_POLLS",
        "SEND_TTS_MESSAGES",
        "SEND_VOICE_MESSAGES",
        "SERVER_ONLY",
        "SPEAK",
        "STREAM",
        "USE_APPLICATION_COMMANDS",
        "USE_EXTERNAL_APPS",
        "USE_EXTERNAL_EMOJIS",
        "USE_EXTERNAL_STICKERS",
        "VIEW_AUDIT_LOG",
        "VIEW_CHANNEL",
        "VIEW_GUILD_INSIGHTS",
        "apply_overwrites",
        "compute_base",
        "implicit",
    ],
    "ratelimit": [
        "DEFAULT_ROUTE_LIMIT",
        "Fault",
        "FaultInjector",
        "Hold",
        "InvalidRequestCounter",
        "RateDecision",
        "RateLimiter",
        "RouteLimit",
        "VIA",
        "rate_limited_body",
    ],
    "rest": [
        "API_PREFIX",
        "ApiRequest",
        "HandlerFn",
        "REJECTION_CODES",
        "RecordedRequest",
        "Recorder",
        "Rejection",
        "Reply",
        "RestApi",
        "RouteDef",
        "json_reply",
    ],
    "state": [
        "DIRECT_MESSAGES",
        "DIRECT_MESSAGE_REACTIONS",
        "FakeState",
        "GUILDS",
        "GUILD_MEMBERS",
        "GUILD_MESSAGES",
        "GUILD_MESSAGE_REACTIONS",
        "GUILD_PRESENCES",
        "MESSAGE_CONTENT",
        "PRIVILEGED_INTENTS",
    ],
    "util": [
        "ApiError",
        "DISCORD_EPOCH_MS",
        "JSON",
        "JSON_CONTENT_TYPE",
        "SnowflakeGenerator",
        "dumps",
        "form_error",
        "iso",
        "merge_errors",
        "missing_access",
        "missing_permissions",
        "nest_error",
        "snowflake_time",
        "unknown_channel",
        "unknown_guild",
        "unknown_interaction",
        "unknown_member",
        "unknown_message",
        "unknown_user",
        "unknown_webhook",
    ],
    "validation": [
        "REQUEST_URI",
        "RESPONSE_URI",
        "SchemaProblem",
        "Spec",
        "VENDORED_SPEC",
        "get_spec",
        "problems_from",
        "problems_to_errors",
        "spec_path",
    ],
}

#: each method's parameters: names, kinds (``/``, ``*``) and defaults
SIGNATURES: dict[str, list[str]] = {
    "add_bot_to_guild": ["guild"],
    "advance_time": ["seconds"],
    "answered": ["result"],
    "archive_thread": ["thread", "archived=True"],
    "attachment_bytes": ["attachment"],
    "autocomplete": ["member", "channel", "command", "/", "focused", "**options"],
    "click": ["member", "message", "*", "label=None", "custom_id=None"],
    "close_dms": ["member"],
    "commands": ["guild=None"],
    "create_guild": ["name", "*", "with_bot=True", "owner_name='owner'"],
    "create_thread": ["channel", "name", "*", "owner", "private=False"],
    "create_user": ["name", "*", "global_name=None"],
    "delete_channel": ["channel"],
    "dispatch": ["event", "data", "*", "intent=None"],
    "dm_channel": ["member"],
    "dm_messages": ["member"],
    "drop_gateway": ["code=4000", "reason=''"],
    "end_outage": ["*guilds"],
    "expect_rejections": ["count=None"],
    "expect_unknown_routes": [],
    "fail_after_store": ["method", "route", "status=500", "count=1"],
    "fail_next": [
        "method",
        "route",
        "status=500",
        "count=1",
        "*",
        "retry_after=0.05",
        "is_global=False",
        "code=0",
        "message=None",
        "via=True",
        "html=False",
        "after_store=False",
    ],
    "hold_next": ["method", "route", "*", "after_store=False"],
    "invalidate_session": ["*", "resumable=False"],
    "invoke": ["member", "channel", "command", "/", "**options"],
    "message": ["message_id"],
    "open_dms": ["member"],
    "patch_discord": [],
    "problems": [],
    "remove_bot_from_guild": ["guild"],
    "requests_to": ["method", "route"],
    "select": ["member", "message", "*", "custom_id=None", "values"],
    "send_reconnect": [],
    "set_bot_permissions": ["channel", "allow=0", "deny=0"],
    "set_permissions": ["channel", "target", "allow=0", "deny=0"],
    "set_route_limit": ["method", "route", "limit", "per"],
    "settle": ["quiet=None", "timeout=5.0"],
    "start": [],
    "start_invoke": ["member", "channel", "command", "/", "**options"],
    "start_modal": ["member", "channel", "modal", "values"],
    "start_outage": ["*guilds"],
    "stop": [],
    "submit_modal": ["member", "channel", "modal", "values"],
    "user_message": ["member", "channel", "content", "**body"],
    "wait_for_disconnect": ["timeout=10.0"],
    "wait_for_identify": ["count=1", "timeout=10.0"],
    "wait_for_resume": ["count=1", "timeout=10.0"],
}


@pytest.mark.parametrize(("name", "signature"), SIGNATURES.items())
def test_driver_methods_keep_their_parameters(name: str, signature: list[str]) -> None:
    assert _parameters(getattr(FakeDiscord(), name)) == signature


@pytest.mark.parametrize("name", FAKEDISCORD_NAMES)
def test_fakediscord_keeps_every_public_name(name: str) -> None:
    assert hasattr(FakeDiscord, name), name


@pytest.mark.parametrize("name", INSTANCE_NAMES)
def test_a_fakediscord_keeps_every_instance_attribute(name: str) -> None:
    assert hasattr(FakeDiscord(), name), name


@pytest.mark.parametrize(("name", "value"), SETTABLE.items())
def test_driver_knobs_can_still_be_set(name: str, value: object) -> None:
    fake = FakeDiscord()
    setattr(fake, name, value)
    assert getattr(fake, name) == value


@pytest.mark.parametrize(("module", "names"), MODULE_NAMES.items())
@pytest.mark.parametrize("prefix", ["fakecord", "tests.fakecord"])
def test_every_module_keeps_its_names(prefix: str, module: str, names: list[str]) -> None:
    mod = importlib.import_module(f"{prefix}.{module}")
    missing = [n for n in names if not hasattr(mod, n)]
    assert missing == [], f"{prefix}.{module} lost {missing}"


def _parameters(method: object) -> list[str]:
    sig = inspect.signature(method)  # type: ignore[arg-type]
    bare = sig.replace(
        parameters=[p.replace(annotation=p.empty) for p in sig.parameters.values()],
        return_annotation=sig.empty,
    )
    text = str(bare)[1:-1]
    return [part.strip() for part in text.split(",")] if text else []


#: where each knob now lives: setting the old name sets the part's own attribute
KNOB_PARTS = {
    "latency": ("rest", "latency"),
    "jitter": ("rest", "jitter"),
    "nonce_window": ("state", "nonce_window"),
    "granted_intents": ("hub", "granted_intents"),
    "guilds_per_shard": ("state", "guilds_per_shard"),
    "max_concurrency": ("state", "max_concurrency"),
    "global_rate_limit": ("limiter", "global_limit"),
    "settle_quiet": ("settler", "quiet"),
    "deferred_timeout": ("sender", "deferred_timeout"),
    "reconnect_grace": ("sender", "reconnect_grace"),
}


@pytest.mark.parametrize(("name", "where"), KNOB_PARTS.items())
def test_a_knob_sets_the_part_that_holds_it(name: str, where: tuple[str, str]) -> None:
    fake = FakeDiscord()
    setattr(fake, name, SETTABLE[name])
    part, attribute = where
    assert getattr(getattr(fake, part), attribute) == SETTABLE[name]


def test_record_aliases_are_the_parts_own_lists_and_read_only() -> None:
    fake = FakeDiscord()
    assert fake.requests is fake.recorder.requests
    assert fake.sent_interactions is fake.sender.sent_interactions
    with pytest.raises(AttributeError, match="read-only"):
        fake.requests = []


def test_constructor_arguments_reach_the_parts() -> None:
    fake = FakeDiscord(latency=0.5, settle_quiet=0.01, deferred_timeout=9.0, nonce_window=3.0)
    assert (fake.rest.latency, fake.settler.quiet) == (0.5, 0.01)
    assert (fake.sender.deferred_timeout, fake.state.nonce_window) == (9.0, 3.0)


def test_a_method_alias_can_be_called_on_the_class_too() -> None:
    fake = FakeDiscord()
    assert FakeDiscord.requests_to(fake, "GET", "/gateway") == []
    assert FakeDiscord.commands(fake) is fake.state.global_commands

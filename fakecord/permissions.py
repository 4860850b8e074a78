"""Discord permission bits and the permission computation of the docs (topics/permissions)."""

from __future__ import annotations

from dataclasses import dataclass

CREATE_INSTANT_INVITE = 1 << 0
KICK_MEMBERS = 1 << 1
BAN_MEMBERS = 1 << 2
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_AUDIT_LOG = 1 << 7
PRIORITY_SPEAKER = 1 << 8
STREAM = 1 << 9
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
SEND_TTS_MESSAGES = 1 << 12
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
VIEW_GUILD_INSIGHTS = 1 << 19
CONNECT = 1 << 20
SPEAK = 1 << 21
CHANGE_NICKNAME = 1 << 26
MANAGE_NICKNAMES = 1 << 27
MANAGE_ROLES = 1 << 28
MANAGE_WEBHOOKS = 1 << 29
MANAGE_GUILD_EXPRESSIONS = 1 << 30
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
USE_EXTERNAL_STICKERS = 1 << 37
SEND_MESSAGES_IN_THREADS = 1 << 38
MODERATE_MEMBERS = 1 << 40
SEND_VOICE_MESSAGES = 1 << 46
SEND_POLLS = 1 << 49
USE_EXTERNAL_APPS = 1 << 50

ALL = (1 << 51) - 1

#: Permissions Discord's table marks as server-wide only (no T, V or S column): an overwrite
#: cannot grant or take them in a channel; they come from roles alone.
SERVER_ONLY = (
    KICK_MEMBERS
    | BAN_MEMBERS
    | ADMINISTRATOR
    | MANAGE_GUILD
    | VIEW_AUDIT_LOG
    | VIEW_GUILD_INSIGHTS
    | CHANGE_NICKNAME
    | MANAGE_NICKNAMES
    | MANAGE_GUILD_EXPRESSIONS
    | MODERATE_MEMBERS
    | (1 << 41)  # VIEW_CREATOR_MONETIZATION_ANALYTICS
    | (1 << 43)  # CREATE_GUILD_EXPRESSIONS
)
CHANNEL_APPLICABLE = ALL & ~SERVER_ONLY

#: What a new guild's @everyone role gets here. Close to Discord's default, but WITHOUT
#: MENTION_EVERYONE so role/everyone mention rules can be tested (grant it explicitly).
DEFAULT_EVERYONE = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | STREAM
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CONNECT
    | SPEAK
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | CREATE_PRIVATE_THREADS
    | USE_EXTERNAL_STICKERS
    | SEND_MESSAGES_IN_THREADS
    | SEND_VOICE_MESSAGES
    | SEND_POLLS
    | USE_EXTERNAL_APPS
)

#: The bot's managed role. Not administrator.
DEFAULT_BOT = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | SEND_MESSAGES_IN_THREADS
    | CREATE_PUBLIC_THREADS
    | CREATE_PRIVATE_THREADS
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | ADD_REACTIONS
    | MANAGE_THREADS
    | USE_EXTERNAL_EMOJIS
)

#: What Discord reports as app_permissions in a DM with the bot.
DM_PERMISSIONS = (
    ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | MENTION_EVERYONE
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
    | USE_EXTERNAL_STICKERS
    | SEND_VOICE_MESSAGES
    | SEND_POLLS
    | USE_EXTERNAL_APPS
)

ROLE_OVERWRITE = 0
MEMBER_OVERWRITE = 1


@dataclass
class Overwrite:
    """A channel permission overwrite (type 0 role, 1 member)."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def to_payload(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


def compute_base(everyone: int, role_perms: list[int], *, is_owner: bool) -> int:
    if is_owner:
        return ALL
    perms = everyone
    for p in role_perms:
        perms |= p
    if perms & ADMINISTRATOR:
        return ALL
    return perms


def apply_overwrites(
    base: int,
    *,
    guild_id: int,
    member_id: int,
    role_ids: list[int],
    overwrites: dict[int, Overwrite],
) -> int:
    """Discord's overwrite order: @everyone, then all the member's roles together, then member."""
    if base & ADMINISTRATOR:
        return ALL
    perms = base
    # Only channel permissions pass through overwrites (Manage Server never does).
    overwrites = {
        key: Overwrite(ow.id, ow.type, ow.allow & CHANNEL_APPLICABLE, ow.deny & CHANNEL_APPLICABLE)
        for key, ow in overwrites.items()
    }
    everyone = overwrites.get(guild_id)
    if everyone is not None:
        perms &= ~everyone.deny
        perms |= everyone.allow
    allow = deny = 0
    for rid in role_ids:
        ow = overwrites.get(rid)
        if ow is not None and ow.type == ROLE_OVERWRITE:
            allow |= ow.allow
            deny |= ow.deny
    perms &= ~deny
    perms |= allow
    member_ow = overwrites.get(member_id)
    if member_ow is not None and member_ow.type == MEMBER_OVERWRITE:
        perms &= ~member_ow.deny
        perms |= member_ow.allow
    return implicit(perms)


def implicit(perms: int) -> int:
    """Implicit permissions: no VIEW_CHANNEL means nothing; no SEND_MESSAGES drops what needs it."""
    if perms & ADMINISTRATOR:
        return ALL
    if not perms & VIEW_CHANNEL:
        return 0
    if not perms & SEND_MESSAGES:
        perms &= ~(SEND_TTS_MESSAGES | MENTION_EVERYONE | EMBED_LINKS | ATTACH_FILES)
    return perms

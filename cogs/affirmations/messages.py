"""Every sentence a member or admin reads from /affirmations, in one place to read and reword.

Placeholders in braces are filled by the handlers. Command names appear as clickable mentions
where a text is built with `{setup}`, `{resume}` … (see cog_base.py `_say`).
"""

from __future__ import annotations

MAX_CUSTOM_PER_SERVER = 200

GROUP_DESCRIPTION = "A morning affirmation for this server, and one by DM for you."
SERVER_ONLY = "That part of /affirmations works inside a server."
NOT_SET_UP = "Affirmations aren’t set up here yet — someone with Manage Server can run {setup}."

# -- setup -----------------------------------------------------------------------------------------
SETUP_DONE = (
    "All set. I’ll post in {channel} at **{time}** ({zone}), {days}.\n"
    "Next post: {next_full} ({next_rel})."
)
SETUP_CURRENT = (
    "**Current settings** — post in {channel} at **{time}** ({zone}), {days}{role}.\n"
    "Change only what you want, for example {setup} `time:07:30` or {setup} `channel:#other`; "
    "everything you leave out stays as it is."
)
SETUP_ROLE_PART = ", mentioning {role}"
SETUP_NEEDS = (
    "To start, I need at least a channel, a time and a time zone — for example {setup} "
    "`channel:#general time:08:00 timezone:Europe/Berlin`."
)
ROLE_NOT_MENTIONABLE = (
    "\nNote: {role} isn’t mentionable yet, so the ping won’t reach anyone. Turn on "
    "“Allow anyone to @mention this role” in Server Settings → Roles."
)
CANNOT_POST_THERE = (
    "I can’t post in {channel} yet — I need View Channel, Send Messages and Embed Links there. "
    "Nothing was changed."
)
EVERYONE_ROLE = (
    "Please pick a specific role to mention — pinging everyone each morning would be a lot."
)

# -- pause, resume, now, preview -------------------------------------------------------------------
PAUSED = "Paused. No posts until someone runs {resume}."
ALREADY_PAUSED = "They’re already paused. {resume} starts them again."
RESUMED = "Back on. Next post: {next_full} ({next_rel})."
NOT_PAUSED = "They’re already running. Next post: {next_full} ({next_rel})."
RESUME_CHANNEL_GONE = "The channel I was posting in is gone. Pick a new one with {setup}."
POSTED_NOW = (
    "Posted today’s affirmation in {channel}. It counts as today’s, so there’s no second one "
    "later. Next post: {next_full}."
)
POSTED_NOW_PAUSED = (
    "Posted today’s affirmation in {channel}. The schedule is still paused, so nothing more "
    "comes until someone runs {resume}."
)
ALREADY_POSTED = "Today’s affirmation is already up in {channel} — a fresh one comes tomorrow."
POST_FAILED = "I couldn’t post in {channel} ({why}). The schedule is paused until that’s fixed."
NOW_TRY_AGAIN = (
    "Discord didn’t take the post in {channel} just now. Nothing is paused — "
    "try {now} again in a minute."
)
NOW_IN_PROGRESS = (
    "Today’s affirmation for {channel} is being sent right now — it will be there in a moment."
)
NOW_WILL_RETRY = (
    "Discord didn’t take the post in {channel} just now. Nothing is paused — I’ll keep trying "
    "for a while, and it counts as today’s once it’s up."
)
PREVIEW_NOTE = "A preview, only for you — nothing was posted. This is exactly the next post."
PREVIEW_ROLE = " It will mention {role}."
PREVIEW_NOT_SET_UP = " (Affirmations aren’t set up here yet, so no post is scheduled.)"

# -- the server's own affirmations -----------------------------------------------------------------
ADDED = (
    "Added #{number} to this server’s affirmations. It joins the current round, so it comes up "
    "before the deck runs out."
)
DUPLICATE = "That one is already in the rotation, so I didn’t add it twice."
TOO_MANY = (
    f"This server already has {MAX_CUSTOM_PER_SERVER} of its own affirmations — remove one first."
)
REMOVED = "Removed #{number}: “{preview}”"
NO_SUCH_ITEM = "I couldn’t find #{number} among this server’s own affirmations. {list} shows them."
LIST_EMPTY = "This server hasn’t added its own affirmations yet. {add} puts one in the rotation."
PAGE_OUT_OF_RANGE = "There are only {pages} page(s). Try page 1 to {pages}."
LIST_TITLE = "This server’s own affirmations"
LIST_FOOTER = "Page {page} of {pages} · {count} in all · bundled affirmations rotate too"
PAGER_NOT_YOURS = "Paging through the list is for people who can manage this server."
LIST_GONE = "This list has changed — run /affirmations list again for a fresh one."

# -- a member's own DMs ----------------------------------------------------------------------------
DM_ON = (
    "You’re set: a personal affirmation by DM every day at **{time}** ({zone}). First one: "
    "{next_full}. {where} {off} stops them anytime."
)
DM_ON_FROM_SERVER = (
    "They come to your DMs, so DMs from this server’s members need to be open (Privacy Settings)."
)
DM_ON_FROM_DMS = "They come right here."
DM_OFF = "Done — no more affirmation DMs. Take care of yourself; {on} brings them back."
DM_NOT_ON = "Affirmation DMs aren’t on for you, so there was nothing to stop."
DM_STATUS_ON = (
    "Your affirmation DMs are on: every day at **{time}** ({zone}). Next one: {next_full} "
    "({next_rel}). {off} stops them; {on} with a new time or zone changes them."
)
DM_STATUS_OFF = "Your affirmation DMs are off. {on} starts them at a time of your choosing."
DM_STATUS_STOPPED = (
    "Your affirmation DMs are off: I couldn’t deliver one (your DMs seemed closed). {on} starts "
    "them again whenever you like."
)
DM_STOPPED_NOTICE = (
    "A small heads-up: I couldn’t deliver your affirmation DM (your DMs seem closed), so I’ve "
    "stopped them. {on} starts them again whenever you like."
)

# -- status ----------------------------------------------------------------------------------------
STATUS_TITLE = "**Morning affirmations**"
STATUS_CHANNEL = "Channel: {channel}"
STATUS_TIME = "Time: {time} ({zone}), {days}"
STATUS_ROLE = "Mentions: {role}"
STATUS_PAUSED = "State: ⏸️ {reason}{since}."
STATUS_RUNNING = "State: ▶️ Running"
STATUS_NEXT = "Next post: {next_full} ({next_rel})"
STATUS_NEXT_PAUSED = "Next post: none while paused — {resume} starts it again."
STATUS_POSTED = "Today: posted at {at}"
STATUS_SENDING = "Today: being sent (if Discord is slow to answer, I keep trying for a while)"
STATUS_NOT_POSTED = "Today: not posted yet"
STATUS_CUSTOM = "This server’s own affirmations: {count}"
PAUSE_REASONS = {
    "by_admin": "paused by someone with Manage Server",
    "channel_missing": "paused — the channel was deleted or I can no longer see it",
    "missing_permissions": "paused — I’m missing permission to post in the channel",
    "bot_removed": "paused — Rebound was removed from the server",
}

# -- posts and admin notices ------------------------------------------------------------------
STEP_HEADING = "Today’s step · {title}"
LATE_NOTE = "Posted a little later than planned today."
DM_FOOTER = "Your daily affirmation · /affirmations dm off stops these anytime"
SERVER_FOOTER = "Rebound · one step at a time"

# Sent once when a schedule pauses itself, as an admin notice (bot/notices.py).
PAUSE_NOTICES: dict[str, str] = {
    "channel_missing": (
        "Rebound’s morning affirmations in **{server}** are paused: the channel they were going "
        "to ({channel}) was deleted or I can no longer see it. Someone with Manage Server can "
        "pick a new one with {setup}."
    ),
    "missing_permissions": (
        "Rebound’s morning affirmations in **{server}** are paused: I no longer have permission "
        "to post in {channel} (I need View Channel, Send Messages and Embed Links there). Once "
        "that’s fixed, {resume} starts them again."
    ),
    "by_admin": "",
    "bot_removed": "",
}

# -- what /about says about this feature
ABOUT_BLURB = "a morning affirmation (and one by DM if you like)"
PRIVACY_LINE = (
    "• **Affirmation settings:** the channel, time, time zone and days a server chose; your "
    "own time and zone if you turn on affirmation DMs."
)

# -- its page in /setup
SETUP_PAGE = "Morning affirmations"
SETUP_CHANNEL = "Affirmations channel"
SETUP_TIME = "Affirmation time"
SETUP_PICK_CHANNEL_FIRST = "Pick the affirmations channel first — then its time."

# -- how /privacy delete names its rows (singular, plural)
ROW_NAMES: dict[str, tuple[str, str]] = {
    "affirmation_dm_subscriptions": ("affirmation DM setting", "affirmation DM settings"),
    "affirmation_decks": ("personal affirmation deck", "personal affirmation decks"),
}

# /privacy export: what the member's personal deck means to them.
EXPORT_DECK_ABOUT = (
    "Your affirmation DMs go through every affirmation once before any repeats; "
    "this is how far the current round has come."
)

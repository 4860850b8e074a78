"""Every sentence the streaks feature shows a member, in one place. Warm, never shaming."""

from __future__ import annotations

CHECKIN_DESCRIPTION = "Log today's job-search steps and keep your streak going."
GROUP_DESCRIPTION = "Your check-in streak: see it, pause it, choose rest days."
SERVER_ONLY = "Check-ins and streaks live inside a server — try this there."

# -- /checkin --------------------------------------------------------------------------------------
MODAL_TITLE = "Today's check-in"
MODAL_TITLE_YESTERDAY = "Yesterday's check-in"
FIELD_APPLICATIONS = "Applications sent (0–100)"
FIELD_NETWORKING = "Networking: people reached (0–100)"
FIELD_SKILLS = "Skill-building sessions (0–100)"
FIELD_NOTE = "A note for yourself (optional)"
PLACEHOLDER_NOTE = "What went well? Anything you're proud of, however small."
COUNT_REFUSED = (
    "{option} can be any whole number from 0 to 100 — I couldn’t use “{value}”. "
    "Nothing was saved; give it another go."
)
NOTE_REFUSED = "Notes can be up to 500 characters — yours was {length}. Nothing was saved."
NOTE_BLANK = (
    "Your note was blank, so there was nothing to save yet — write a few words after note:, "
    "or add a number. (/checkin on its own opens the form.)"
)
ALREADY_COUNTED = "{day} is already counted — nice. /checkin (without day) logs today."

CHECKED_IN = "✅ Checked in for **{day}**. {streak_line}"
CHECKED_IN_AGAIN = "✏️ Updated your check-in for **{day}** — it still counts once. {streak_line}"
BACKFILLED = "✅ Added your check-in for **{day}** (yesterday). {streak_line}"
STREAK_LINE = "Your streak: **{days}** 🔥 · this week {week_done} of {week_target}."
STREAK_START = "Day one of a new streak — every streak starts here. 🌱"
COUNTS_LINE = "Logged: {parts}."
NEXT_MILESTONE = "Next milestone: {milestone} days."
FREEZE_USED_ONE = (
    "🧊 A freeze covered {days}, so your streak is safe. Life happens — you earn another "
    "every 7 counted days."
)
FREEZE_USED_MANY = (
    "🧊 Freezes covered {days}, so your streak is safe. Life happens — you earn another "
    "every 7 counted days."
)
MILESTONE_ANNOUNCED = "🎉 That’s {milestone} days! I shared it in {channel}."
MILESTONE_NOT_SHARED = "🎉 That’s {milestone} days!"
CELEBRATION_POST = "🎉 {member} just reached a **{milestone}-day** check-in streak. Keep going!"
ENCOURAGE = (
    "Showing up counts, even on the quiet days.",
    "One step today is still a step.",
    "Consistency beats intensity — you’re doing it.",
    "Rejections don’t get the last word. You showed up.",
)

THAT_DAY = "That day"
# Pairs for bot.i18n.plural: (one, other), each whole, {count} filled in.
COUNT_APPLICATIONS = ("{count} application", "{count} applications")
COUNT_NETWORKING = "{n} networking"
COUNT_SKILLS = "{n} skill-building"
DAYS = ("{count} day", "{count} days")
DAYS_IN_ALL = ("{count} day in all", "{count} days in all")
FREEZES_HELD = ("{count} freeze held", "{count} freezes held")
WEEK_OF = "{done} of {target}"
AND = " and "

# -- the heatmap image -----------------------------------------------------------------------------
HEATMAP_DAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
HEATMAP_LESS = "Less"
HEATMAP_MORE = "More"
HEATMAP_REST = "rest"
HEATMAP_FREEZE = "freeze"
HEATMAP_PAUSED = "paused"
HEATMAP_ALT = "Streak heatmap: the last 16 weeks, darker green for busier days"

# -- /streak show ----------------------------------------------------------------------------------
SHOW_TITLE = "{current}-day streak · best {best}"
SHOW_TITLE_ZERO = "A fresh start · best {best}"
SHOW_SUBTITLE = "{week_done} of {week_target} this week · {days_in_all} · {freezes_held}"
SHOW_TEXT = (
    "**Current streak:** {current_days}\n"
    "**Best streak:** {best}\n"
    "**Total days checked in:** {total}\n"
    "**This week:** {week_done} of {week_target}\n"
    "**Freezes held:** {freezes} (one per 7 counted days, up to 2)\n"
    "**Rest days:** {rest}\n"
    "**Time zone:** {zone}{zone_note}"
)
SHOW_TEXT_SHARED = (
    "**{member}** · streak {current} · best {best} · {days_in_all} · "
    "this week {week_done} of {week_target}"
)
SHOW_PAUSED = "\n⏸️ Paused until {end} (it resumes by itself)."
SHOW_TODAY_OPEN = "\nToday is still open — check in any time before your midnight ({midnight})."
ZONE_FROM_SERVER = " (the server’s default — /timezone set changes it for you)"
ZONE_DEFAULT = " (the default — /timezone set makes days end at your midnight)"

# -- leaderboard -----------------------------------------------------------------------------------
LEADERBOARD_TITLE = "Check-in streaks"
LEADERBOARD_EMPTY = (
    "Nobody has joined the leaderboard here yet. It’s opt-in: /streak settings leaderboard:True "
    "adds you."
)
LEADERBOARD_STREAKS = "By current streak"
LEADERBOARD_WEEK = "By days this week"
LEADERBOARD_LINE = "{rank}. {member} — {value}"
LEADERBOARD_FOOTER = "Only members who chose to be listed appear here."

# -- pause, rest days, settings --------------------------------------------------------------------
PAUSE_DESCRIPTION = "Pause your streak for up to 14 days (holiday, illness); it resumes by itself."
PAUSED = (
    "⏸️ Paused until the end of **{end}**. Nothing counts against you meanwhile, and it resumes "
    "by itself. Take care of yourself. (/streak resume ends it early.)"
)
PAUSE_LENGTH = "A pause can last 1 to 14 days."
ALREADY_PAUSED = "You’re already paused until {end}. /streak resume ends it early."
RESUMED = "▶️ Welcome back — your streak is running again from today."
NOT_PAUSED = "Your streak isn’t paused, so there was nothing to resume."
REST_SET = "Rest days: **{rest}**, from today on. They never count against you."
REST_BAD = "I couldn’t read “{value}” as rest days — try none, weekends, or a list like sat,sun."
REST_ALL_DAYS = (
    "Seven rest days would leave no day for your streak to count, so that isn’t possible — "
    "choose up to six, like weekends or sat,sun. Nothing was changed."
)
SETTINGS_TITLE = "Your streak settings"
SETTINGS_TEXT = (
    "**Rest days:** {rest}\n"
    "**Celebrate milestones in {channel}:** {celebrate}\n"
    "**Listed on the leaderboard:** {leaderboard}\n"
    "Use the buttons, or /streak settings with options."
)
SETTINGS_SAVED = "Saved."
NO_CHANNEL = "the accountability channel (not set up yet)"
ON = "on"
OFF = "off"
BUTTON_WEEKENDS = "Weekends off"
BUTTON_NO_REST = "No rest days"
BUTTON_CELEBRATE_ON = "Celebrate milestones"
BUTTON_CELEBRATE_OFF = "Stop celebrations"
BUTTON_BOARD_ON = "Join the leaderboard"
BUTTON_BOARD_OFF = "Leave the leaderboard"

# An admin notice (notices channel, else the owner by DM, else the system channel), once per
# channel that stopped working.
CHANNEL_BROKEN_NOTICE = (
    "A note from Rebound in **{server}**: I can’t post in the accountability channel any more "
    "(it was deleted, or I can’t send messages there), so milestone celebrations and shared "
    "weekly summaries are on hold. Nothing is lost — pick a channel with {command} and they "
    "carry on from there."
)

# -- what /about says about this feature
ABOUT_BLURB = "accountability streaks"
PRIVACY_LINE = (
    "• **Check-ins:** the dates, counts and notes you log, your streak choices (rest days, "
    "pauses, celebrations, leaderboard) and the /timezone you set, so days end at your "
    "midnight."
)

# -- how /privacy delete names its rows (singular, plural)
ROW_NAMES: dict[str, tuple[str, str]] = {
    "streak_checkins": ("check-in", "check-ins"),
    "streak_profiles": ("streak setting", "streak settings"),
    "streak_pauses": ("streak pause", "streak pauses"),
    "streak_rest_rules": ("rest-day rule", "rest-day rules"),
    "streak_travel_days": ("travel day", "travel days"),
    "streak_celebrations": ("milestone celebration", "milestone celebrations"),
}

# -- its setting in /setup (on the page the server's notices channel is on too)
SETUP_PAGE = "Accountability and notices"
SETUP_CHANNEL = "Accountability channel"

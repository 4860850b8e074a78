"""Every sentence weekly accountability shows a member or posts."""

from __future__ import annotations

GROUP_DESCRIPTION = "A weekly check-in on your goals, at a time you choose (opt-in)."
SERVER_ONLY = "Weekly check-ins are set up inside a server — try this there."
JOINED = (
    "You’re in: every **{day}** at **{time}** ({zone}). First check-in: {first_full} "
    "({first_rel}). I’ll send it by DM; if your DMs are closed, I’ll open a private thread in "
    "{channel} instead. /accountability leave stops it anytime."
)
NO_CHANNEL_YET = "the accountability channel (once this server sets one)"
LEFT = "Done — no more weekly check-ins. Your past goals stay in /accountability goals."
NOT_JOINED = (
    "You haven’t joined the weekly check-ins here. /accountability join day:monday time:09:00 "
    "starts them."
)
STATUS = (
    "**Weekly check-in:** every **{day}** at **{time}** ({zone}).\n"
    "Next one: {next_full} ({next_rel}).\n"
    "Weeks so far: {weeks}."
)
STATUS_LEFT = "You left the weekly check-ins. /accountability join brings them back."
BAD_TIME = "I couldn’t read “{value}” as a time — try 24-hour HH:MM, like 09:00."

CHANNEL_SET = (
    "Milestones, shared weekly summaries and private check-in threads (for members whose DMs "
    "are closed) will go to {channel}."
)
CHANNEL_CANT_POST = (
    "I can’t use {channel} yet — I need View Channel, Send Messages, Send Messages in Threads "
    "and Create Private Threads there. Nothing was changed."
)

PROMPT_FIRST = (
    "👋 Time for your weekly check-in{server}. What would you like to get done this week? "
    "Up to three goals — small ones count."
)
PROMPT_LATER = (
    "👋 Time for your weekly check-in{server}. First a quick look back at last week’s goals, "
    "then this week’s."
)
PROMPT_IN_THREAD = "{member} — your DMs seem closed, so here’s your weekly check-in, privately."
THREAD_NAME = "Weekly check-in · {day}"
BUTTON_START = "Start check-in"
BUTTON_GOALS = "Set this week’s goals"
BUTTON_SHARE = "Share a summary in #{channel}"
BUTTON_SHARE_GENERIC = "Share a summary"

REVIEW_TITLE = "How did last week’s goals go?"
REVIEW_GOAL_LABEL = "Goal {n}: {text}"
REVIEW_REFLECTION = "A line of reflection (optional)"
REVIEW_REFLECTION_HINT = "What helped? What got in the way? Be kind to yourself."
REVIEW_SAVED = (
    "Thank you for looking back — {done} done, {partly} partly, {not_yet} not yet. {kind}"
)
REVIEW_KIND = "Every bit of that was effort. Now, this week:"
GOALS_TITLE = "What are your goals this week?"
GOAL_LABEL = "Goal {n}"
GOAL_HINT = "e.g. Apply to 5 roles I’m excited about"
GOALS_SAVED = "Your goals for the week of {week} are saved. You’ve got this. 💪\n{summary}"
GOALS_NEED_ONE = "Add at least one goal — even a small one is a great start."
NOT_YOURS = "This check-in belongs to someone else."
WEEK_PASSED = (
    "This check-in was for the week of {week}, which has passed — its goals stay in "
    "/accountability goals."
)
WEEK_PASSED_THIS_WEEK = "This week’s check-in is here:"
WEEK_PASSED_NEXT = "Your next weekly check-in comes {next_rel}."
BUTTON_THIS_WEEK = "Open this week’s check-in"
WEEK_GONE = "I can’t find that check-in any more — /accountability goals shows what’s kept."

SHARED = "Shared in {channel}. 🎉"
ALREADY_SHARED = "You already shared this week’s summary."
NOTHING_TO_SHARE = "Set this week’s goals first — then you can share them."
SHARE_NO_CHANNEL = (
    "This server hasn’t chosen an accountability channel yet, so there’s nowhere to share."
)
SHARE_FAILED = "I couldn’t post in {channel} just now. Nothing was shared; try again later."
SHARE_UNSURE = (
    "Discord didn’t answer in time in {channel}. Try Share again in a minute — your summary "
    "will appear only once."
)
SHARE_POST = "🗓️ **{member}’s week**\n{summary}"

GOALS_HEADER = "**Your weekly goals**"
GOALS_WEEK = "__Week of {week}__"
GOALS_NONE_YET = "No goals yet — your first weekly check-in is coming {next_rel}."
GOALS_NOT_SET = "(no goals set that week)"
SOON = "soon"
SUMMARY_LAST_WEEK = "**Last week**"
SUMMARY_THIS_WEEK = "**This week**"
REVIEW_LABELS = {"done": "Done ✅", "partly": "Partly 🌓", "not_yet": "Not yet 🌱"}
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# -- what /about says about this feature
ABOUT_BLURB = "weekly accountability check-ins"
PRIVACY_LINE = (
    "• **Weekly check-ins:** your day and time, and the goals, reviews and reflections you write."
)

# -- how /privacy delete names its rows (singular, plural)
ROW_NAMES: dict[str, tuple[str, str]] = {
    "accountability_subscriptions": (
        "weekly check-in subscription",
        "weekly check-in subscriptions",
    ),
    "accountability_weeks": ("weekly check-in", "weekly check-ins"),
    "accountability_goals": ("weekly goal", "weekly goals"),
}

"""Every sentence peer encouragement shows to members, in one place to read and reword."""

from __future__ import annotations

# -- buttons on a story --------------------------------------------------------------------------
ENCOURAGE_BUTTON = "Encourage"
ME_TOO_BUTTON = "Me too"
ME_TOO_BUTTON_COUNTED = "Me too · {count}"

# -- the Encourage modal -------------------------------------------------------------------------
ENCOURAGE_TITLE = "A few kind words"
ENCOURAGE_FIELD = "Your message"
ENCOURAGE_PLACEHOLDER = "What would you want to hear after a day like that?"
SIGN_FIELD = "How to sign it"
# Anonymous is the default; signing with one's name is a choice made each time.
SIGN_ANONYMOUS = "As “a member” (anonymous)"
SIGN_ANONYMOUS_HINT = "Nobody, not even the moderators, sees who wrote it."
SIGN_NAMED = "With my name"
SIGN_NAMED_HINT = "Your server display name is shown above your words."

# -- what lands in the thread --------------------------------------------------------------------
ENCOURAGEMENT_POST = "💬 **Encouragement from {signature}**\n{text}"
OP_REPLY_POST = "🗨️ **OP (anonymous)**\n{text}"
# -- acknowledgements (ephemeral) ----------------------------------------------------------------
ENCOURAGED = "Thank you — your words are in the thread now ({link})."
ENCOURAGED_ANONYMOUSLY = "Thank you — your words are in the thread, signed “a member” ({link})."
ME_TOO_ADDED = "You’re counted — quietly. Nobody can see who pressed it. Press again to undo."
ME_TOO_REMOVED = "Taken off again. No trace of it is kept."
REPLIED = "Posted in the thread as “OP (anonymous)”."

# -- refusals (ephemeral, one kind sentence) -----------------------------------------------------
STORY_GONE = "That story isn’t here anymore, so there’s nowhere to send this — thank you anyway."
THREAD_REMOVED = (
    "The thread under this story was removed, so there’s nowhere to post kind words on it "
    "right now — thank you for wanting to."
)
THREAD_NOT_READY = "The thread for this story isn’t ready yet — could you try again in a minute?"
THREAD_UNREACHABLE = (
    "I couldn’t post in this story’s thread just now. Nothing was posted — please try again later."
)
# Discord stored it or not: we cannot tell. The token behind "Try again" makes a retry safe.
MAYBE_POSTED = (
    "Discord didn’t confirm your post, so it may already be in the thread. Press Try again: "
    "if it’s there, nothing is posted twice; if not, it goes up now."
)
TRY_AGAIN = "Try again"
ALREADY_POSTED = "It’s in the thread — posted once ({link}). Thank you."
RETRY_GONE = "There’s nothing left to retry here — that post was either made or its story is gone."
SEND_NOT_YOURS = "That button belongs to someone else’s post."
RETRY_EXPIRED = (
    "That was a while ago, so I no longer keep those words (nothing unconfirmed is kept past a "
    "day). If they aren’t in the thread, Encourage is there for a fresh message."
)
# The limits on Encourage (cogs/encouragement/logic.py): when they can post again, kindly.
THROTTLED_STORY = (
    "You’ve already sent {limit} messages of kind words on this story in the last hour — that’s "
    "generous. You can add more {when}."
)
THROTTLED_OVERALL = (
    "You’ve sent {limit} messages of encouragement in the last hour — thank you for showing up "
    "for so many people. You can send more {when}."
)
THROTTLED_WHEN = "at {time} ({relative})"
# Kind words or a reply that cannot be posted as written ({what}: "message of encouragement",
# "reply").
TEXT_EMPTY = "Your {what} was empty — a few words are plenty."
TEXT_TOO_LONG = (
    "Your {what} is {length:,} characters; the limit is {limit:,}. Could you shorten it a little?"
)
TEXT_INVITE = "Server invite links can’t go in a {what}. Could you take it out?"
TEXT_LINK = (
    "This server keeps links out of stories and their threads. Could you post your {what} "
    "without it?"
)
# A refusal that gives the member's own words back, so nothing they wrote is lost.
GIVE_BACK = "{reason}\nHere’s what you wrote, to copy and edit:\n{text}"
REPLY_OUTSIDE_THREAD = "/reply works inside a story’s thread, for the person who shared it."
REPLY_NOT_AUTHOR = (
    "Only the person who shared this story can reply as OP. You’re very welcome to write in the "
    "thread directly, or use Encourage on the story."
)
REPLY_TITLE = "Reply as OP (anonymous)"
REPLY_FIELD = "Your reply"
REPLY_PLACEHOLDER = "Nobody will see that it’s you — it’s signed “OP (anonymous)”."
SERVER_ONLY = "That works inside a server."

# -- author digest (DM) --------------------------------------------------------------------------
DIGEST_HEADER = "💛 New encouragement on your {label} in **{server}**:"
DIGEST_ITEM = "• “{excerpt}” — {signature}"
DIGEST_MORE = "…and {count} more."
DIGEST_ME_TOO_ONE = "1 person has said “me too” so far."
DIGEST_ME_TOO = "{count} people have said “me too” so far."
DIGEST_LINK = "Read everything in the thread: {link}"
DIGEST_FOOTER = (
    "You get these because you asked for them when you shared (at most one an hour per story). "
    "/mystories turns them off."
)

# -- digest choices in /mystories ---------------------------------------------------------------
DIGESTS_BUTTON = "Encouragement DMs"
DIGESTS_TITLE = (
    "**Encouragement DMs** (only you can see this): a short digest of new kind words on each "
    "story, at most one an hour. Press a story to switch."
)
DIGESTS_NONE = "None of your stories is up yet, so there’s nothing to switch."
DIGEST_TOGGLE_ON = "{label}: on"
DIGEST_TOGGLE_OFF = "{label}: off"
DIGEST_NOT_YOURS = "Only the person who shared this story can change its DMs."

# -- weekly roundup ------------------------------------------------------------------------------
ROUNDUP_TITLE = "You were not alone this week"
ROUNDUP_BODY = (
    "🌱 **You were not alone this week.**\n"
    "• {stories}\n• {encouragements}\n• {me_toos}\n"
    "Whatever this week brought you, others have been there too."
)
# (one, many) forms of each line of the roundup.
ROUNDUP_STORIES = ("1 story was shared", "{count} stories were shared")
ROUNDUP_WORDS = (
    "1 message of encouragement was sent",
    "{count} messages of encouragement were sent",
)
ROUNDUP_ME_TOOS = ("“me too” was said once", "“me too” was said {count} times")
ROUNDUP_COMEBACKS = (
    "🌱 1 member shared a comeback this week",
    "🌱 {count} members shared a comeback this week",
)
ROUNDUP_THREAD_NAME = "You were not alone · week of {date}"

# -- settings ------------------------------------------------------------------------------------
GROUP_DESCRIPTION = "Peer encouragement around shared stories."
ROUNDUP_ON = "The weekly “you were not alone” roundup is on. It goes out Monday mornings."
ROUNDUP_OFF = "The weekly roundup is off. /encouragement roundup enabled:True brings it back."
NOT_MANAGER = "That setting is for people who can manage this server."

# -- what /about says about this feature
ABOUT_BLURB = "peer encouragement threads"
PRIVACY_LINE = (
    "• **Encouragement:** your kind words and “me too”s under a keyed pseudonym, never your "
    "id; a word's text only until the author's digest has carried it."
)

# -- how /privacy delete names its rows (singular, plural)
ROW_NAMES: dict[str, tuple[str, str]] = {
    "encouragement_me_too": ("me-too", "me-toos"),
    "encouragements": ("kind word you sent", "kind words you sent"),
    "encouragement_sends": (
        "record of a post you made in a story thread",
        "records of posts you made in story threads",
    ),
    "messages_in_threads": (
        "signed post in a story thread taken down",
        "signed posts in story threads taken down",
    ),
}

"""Every sentence a member, a moderator or an admin reads from anonymous stories, in one place.

Written for someone who was just turned down: short, warm, no blame, a way forward.
"""

from __future__ import annotations

# -- commands -----------------------------------------------------------------------------------
SHARE_DESCRIPTION = "Share what happened, anonymously. Nobody can tell who wrote it."
MYSTORIES_DESCRIPTION = "See the stories you shared here (only you see this), and delete any."
GROUP_DESCRIPTION = "Anonymous stories: settings and moderation."
SETTINGS_DESCRIPTION = "Where stories go, approval, links, pacing and crisis handling."
UNBLOCK_DESCRIPTION = "Let a blocked author share again (by the Anon tag moderators saw)."
BLOCKED_DESCRIPTION = "How many authors are blocked from sharing (never who)."
SETTINGS_OPTIONS = {
    "channel": "Where stories are posted: a text channel, or a forum (posts tagged by stage)",
    "mod_channel": "A private channel for moderators: the approval queue and reports",
    "approval": "Hold every story for a moderator's approval before it is posted",
    "links": "Allow links in stories (invite links are never allowed)",
    "max_delay": "Longest random delay before a story appears, in seconds (default 90)",
    "cooldown": "Minutes a member waits between two stories (default 30)",
    "daily_limit": "Stories a member may share in 24 hours (default 3)",
    "crisis_stories": "Stories with crisis words: post as usual, or hold for a moderator",
    "crisis_words": "Your own crisis phrases, comma-separated (added to the built-in list)",
    "crisis_note": "One line of your own support info shown with the resources",
}
UNBLOCK_OPTIONS = {
    "anon": "The author's Anon tag as moderators saw it, like 7F3K",
    "everyone": "Lift every block in this server",
}

# -- the modal ----------------------------------------------------------------------------------
MODAL_TITLE = "Share your story anonymously"
FIELD_STORY = "What happened?"
FIELD_STORY_HINT = "Up to 1,800 characters. Only the story is posted, never your name."
FIELD_STORY_PLACEHOLDER = "Take your time. Whatever you write is posted without your name."
FIELD_STAGE = "The stage it ended at"
FIELD_STAGE_PLACEHOLDER = "Pick the stage"
FIELD_TAKEAWAY = "What I'm taking from it (optional)"
FIELD_HELP = "What would help now? (optional)"
FIELD_HELP_PLACEHOLDER = "Leave empty if you’re not sure"
FIELD_COMPANY = "Company to keep out (optional, never posted)"
FIELD_COMPANY_HINT = "If your story names it, I’ll point that out before posting."

# -- refusals (one kind sentence each) ----------------------------------------------------------
NOT_SET_UP = (
    "Sharing stories isn’t set up in this server yet. Someone with Manage Server can turn it on "
    "with /stories settings channel:."
)
SERVER_ONLY = "Stories live inside a server, so /share works there, not in DMs."
BLOCKED = (
    "Sharing stories isn’t available to you in this server right now. If you think that’s a "
    "mistake, the server’s moderators can help."
)
COOLDOWN = "Thank you for sharing so much. You can share again {when}. Take a breather meanwhile."
# {count} is filled by bot.i18n.plural, then {{when}} (doubled so that first pass leaves it).
DAILY_LIMIT_ONE = (
    "You’ve shared {count} story today, which is this server’s daily limit. You can share "
    "again {{when}}."
)
DAILY_LIMIT_MANY = (
    "You’ve shared {count} stories today, which is this server’s daily limit. You can share "
    "again {{when}}."
)
ALREADY_RECEIVED = (
    "I already have this story from you: it goes up once, nothing more to do. "
    "/mystories shows where it is."
)
NOT_AVAILABLE_NOW = (
    "Sharing stories isn’t set up right now: the channel for them isn’t available to me. "
    "I’ve let the server’s admins know. Please try again later; your words are worth it."
)
DRAFT_GONE = "That draft isn’t here anymore. /share starts a fresh one."
NOT_YOURS = "Only the person who wrote that story can do that."
STORY_GONE = "That story isn’t here anymore."
MODS_ONLY = "That button is for the server’s moderators (Manage Messages)."
ALREADY_DECIDED = "Another moderator already handled this one."

# -- the nudge before posting -------------------------------------------------------------------
NUDGE_INTRO = "Before I post it: your story mentions {details}, which could tell people it’s you."
NUDGE_OUTRO = "Nothing is posted until you choose."
TOO_LONG = (
    "Your story is {count:,} characters; a story here holds up to {limit:,}. You can edit it, "
    "or I can post it ending at a natural break before that."
)
NUDGE_EDIT_OR_POST = "You can edit it, or post it as it is."
TOO_SHORT = (
    "I kept your story but haven’t posted it: a story here needs some words of your own, at "
    "least {letters} letters once links and mentions are left out. Edit it whenever you’re "
    "ready; nothing is posted until you do."
)
POST_SHORTENED = "Post it shortened"
NUDGE_DETAILS = {
    "company": "the company name you gave me",
    "email": "an email address",
    "phone": "a phone number",
    "date": "a full date",
}
EDIT = "Edit"
POST_ANYWAY = "Post anyway"

# -- acknowledgements ---------------------------------------------------------------------------
ACK_POSTING = (
    "Thank you for sharing. Your story is saved and will appear in {channel} {when} as "
    "**an anonymous post**. Nobody, moderators included, can see it was you."
)
# When a story appears: the server's longest random delay, said truthfully.
ACK_WHEN_NOW = "in a moment"
ACK_WHEN_MINUTE = "within a minute"
ACK_WHEN_MINUTES_ONE = "within {count} minute"
ACK_WHEN_MINUTES_MANY = "within {count} minutes"
ACK_REVIEW = (
    "Thank you for sharing. Your story is saved; a moderator looks at stories here before "
    "they go up in {channel} (they never see who wrote it)."
)
ACK_FOOTER = "/mystories shows where it is and lets you delete it anytime."
ACK_INVITES = "I left out an invite link: those can’t be posted in stories."
ACK_LINKS = "I left out links: this server doesn’t allow them in stories."
ACK_MENTIONS = "Mentions become plain text, so nobody gets pinged."
ACK_TRIMMED = "It was long, so the post ends at a natural break with “…”."
EMPTY_STORY = "That story came through empty. /share is there whenever you’re ready."
UNCONFIRMED_OFFER = (
    "A story of yours wasn’t confirmed: my “thank you” never reached you, so I haven’t posted "
    "it. You can post it, edit it or discard it. (Started {when}.)"
)
UNCONFIRMED_EXCERPT = "> {excerpt}"
POST_IT = "Post it"
EDIT_IT = "Edit it"
DISCARD_IT = "Discard it"
DISCARDED = "Discarded: it’s gone from my records. /share is there whenever you’re ready."
DM_OPT_IN = "DM me about this story"
DM_OPTED_IN = (
    "Okay: I’ll DM you about this story (a moderator’s decision, and a short digest of new "
    "encouragement at most hourly). Your DMs need to be open for that."
)
DM_ALREADY = "You’ll already hear from me about this story by DM."

# -- crisis -------------------------------------------------------------------------------------
CRISIS_NOTE_LABEL = "From this server:"

# -- the post -----------------------------------------------------------------------------------
POST_STAGE = "Where it ended"
POST_HELP = "What would help"
POST_TAKEAWAY = "What they’re taking from it"
POST_FOOTER = "Shared anonymously · /share to tell yours"
REPORT = "Report"

# -- the approval queue -------------------------------------------------------------------------
QUEUE_TITLE = "New story waiting for approval · {anon}"
QUEUE_FOOTER = (
    "Approve posts it anonymously. Reject can carry a private note to the author. Block stops "
    "this author sharing here. You never see who wrote it."
)
QUEUE_CRISIS = (
    "⚠️ This story contains words from the crisis list. The author was shown support "
    "resources privately."
)
QUEUE_CRISIS_FIELD = "Please note"
APPROVE = "Approve"
REJECT = "Reject"
BLOCK = "Block author"
UNBLOCK = "Unblock author"
QUEUE_APPROVED = "✅ Approved by {moderator}. It goes up in {channel} in a moment."
QUEUE_REJECTED = "Not posted: rejected by {moderator}."
QUEUE_REJECTED_NOTE = "Not posted: rejected by {moderator}, with a note to the author."
QUEUE_BLOCKED = "⛔ {anon} blocked by {moderator}; this story was not posted."
QUEUE_UNBLOCKED = "{anon} was unblocked by {moderator}; this story stays unposted."
APPROVED_REPLY = "Approved. It will appear in {channel} in a moment."
REJECTED_REPLY = "Rejected. {noted}"
# The same words whether or not the author asked for DMs: that choice is theirs alone.
REJECTED_NOTED = (
    "Your note reaches the author privately: in /mystories, and by DM if they turned that on."
)
REJECTED_NO_NOTE = "The author sees it wasn’t posted in /mystories."
BLOCKED_REPLY = (
    "Blocked: {anon} can’t share stories here anymore. /stories unblock anon:{short} undoes it."
)
ALREADY_BLOCKED = "{anon} is already blocked."
REPORT_BLOCKED = (
    "⛔ Handled by {moderator}: author blocked ({anon}). The story is still up; Remove story "
    "takes it down."
)
UNBLOCKED_REPLY = "Unblocked: {anon} can share stories here again."
REJECT_MODAL_TITLE = "Reject this story"
REJECT_FIELD = "A note for the author (optional, private)"
REJECT_PLACEHOLDER = "Sent only to the author. Be kind: they were just turned down."

# -- what the author hears by DM (only if they asked) ------------------------------------------
DM_APPROVED = "Your story in **{server}** was approved and is up now as {label}: {link}"
DM_REJECTED = "Your story in **{server}** wasn’t posted. A moderator said: “{note}”"
DM_REJECTED_NO_NOTE = (
    "Your story in **{server}** wasn’t posted this time. That says nothing about you; "
    "you can always try again."
)
DM_LOST = (
    "Your story in **{server}** couldn’t be posted: I was away for too long to share it on time, "
    "and I’m sorry. Nothing of it went up. If you’d still like to share it, /share is there "
    "whenever you’re ready."
)
DM_REMOVED = "A moderator removed your story in **{server}** ({label})."

# -- reports ------------------------------------------------------------------------------------
REPORT_MODAL_TITLE = "Report this story"
REPORT_FIELD = "What’s wrong? (optional)"
REPORT_PLACEHOLDER = "Moderators see this, never who sent it."
REPORT_THANKS = "Thank you. The moderators will take a look. Nobody sees who reported it."
REPORT_ALREADY = "You already reported this story; the moderators have it."
REPORT_NOT_POSTED = "Only stories that are up can be reported."
REPORT_TITLE = "Report · {label} · {anon}"
REPORT_REASON = "Reason given"
REPORT_NO_REASON = "No reason given."
REPORT_LINK = "The post"
REPORT_FOOTER = "The reporter and the author are never shown."
REMOVE = "Remove story"
DISMISS = "Dismiss"
REPORT_REMOVED = "🗑️ {label} removed by {moderator}."
REPORT_DISMISSED = "Dismissed by {moderator}; the story stays up."
REMOVED_REPLY = "Removed {label}."
DISMISSED_REPLY = "Dismissed. The story stays up."
NO_MOD_CHANNEL_REPORT = (
    "A story in **{server}** was reported, but no moderator channel is set, so I can’t show "
    "it to your team. Choose one with /stories settings mod_channel:."
)

# -- /mystories ---------------------------------------------------------------------------------
MINE_TITLE = "**Your stories here** (only you can see this)"
MINE_EMPTY = "You haven’t shared a story here yet. /share is there whenever you’re ready."
MINE_LINE = "{n}. {label} · {stage} · {status}"
MINE_STATUS = {
    "scheduled": "appearing {when}",
    "pending": "waiting for a moderator",
    "posted": "up since {when}",
    "rejected": "not posted",
    "removed": "removed by a moderator",
    "failed": "couldn’t be posted (the channel was unavailable)",
}
MINE_NOTE = "   A moderator’s note: “{note}”"
MINE_UNNUMBERED = "Your story"
DELETE = "Delete {n}"
DELETED = "Deleted {label}: it’s gone from the channel and from my records."
DELETED_UNNUMBERED = "Deleted your story: it’s gone from my records."

# -- /stories settings, unblock, blocked --------------------------------------------------------
SETTINGS_TITLE = "**Anonymous stories here**"
SETTINGS_LINES = (
    "Stories channel: {channel}",
    "Moderator channel: {mod_channel}",
    "Approval before posting: {approval}",
    "Links in stories: {links}",
    "Random posting delay: {delay}",
    "Per member: {pace}",
    "Stories with crisis words: {crisis}",
    "Extra crisis words: {words}",
    "Your support line: {note}",
)
DELAY_NONE = "none: a story appears the moment it is sent"
DELAY_UP_TO_ONE = "up to {count} second"
DELAY_UP_TO_MANY = "up to {count} seconds"
NO_DELAY_HINT = (
    "⚠️ Without a delay, a story appears the moment it is sent, so someone watching who was "
    "typing could guess who wrote it. A delay of a minute or more keeps that hidden "
    "(max_delay:90 is the default)."
)
PACE_NO_COOLDOWN = "no wait between stories, "
PACE_COOLDOWN_ONE = "one story every {count} minute, "
PACE_COOLDOWN_MANY = "one story every {count} minutes, "
PACE_DAILY_ONE = "at most {count} a day"
PACE_DAILY_MANY = "at most {count} a day"
ANON_TAG_NOTE = (
    "Every story in the approval queue and every report carries its author’s Anon tag (like "
    "“Anon 7F3K”): the same tag for all stories by one author here, never who they are. That "
    "lets moderators see a pattern and block the author, not the person."
)
NOT_SET = "not set"
ON, OFF = "on", "off"
LINKS_ALLOWED, LINKS_BLOCKED = "allowed", "left out"
CRISIS_POLICIES = {"post": "posted as usual", "hold": "held for a moderator"}
NONE_WORDS = "none"
SETTINGS_SAVED = "Saved."
RETRYING_FAILED_ONE = (
    "{count} story that couldn’t be posted in the old channel will go up in a moment."
)
RETRYING_FAILED_MANY = (
    "{count} stories that couldn’t be posted in the old channel will go up in a moment."
)
CLEAR_WORDS = ("none", "clear", "-")
APPROVAL_NEEDS_MOD_CHANNEL = (
    "Approval needs a moderator channel to send stories to. Add mod_channel: too."
)
HOLD_NEEDS_MOD_CHANNEL = (
    "Holding stories needs a moderator channel to send them to. Add mod_channel: too."
)
CANNOT_POST_IN = (
    "I can’t post in {channel} yet: I need View Channel, Send Messages and Embed Links there. "
    "Nothing was changed."
)
CHANNEL_KIND = "Please pick a text or forum channel for stories."
NOTE_TOO_LONG = "Please keep your support line under 300 characters."
CRISIS_WORDS_TOO_LONG = (
    "That list is longer than I can keep — up to {count} phrases of up to {length} characters "
    "each, separated by commas. Nothing was changed."
)
AND_MORE = "and {count} more"
# {count} is filled by bot.i18n.plural, then {{recent}}.
BLOCKED_COUNT_NONE = "No author is blocked from sharing stories here."
BLOCKED_COUNT_ONE = (
    "{count} author is blocked from sharing stories here ({{recent}} in the last 30 days). "
    "Who they are is never shown, to anyone."
)
BLOCKED_COUNT_MANY = (
    "{count} authors are blocked from sharing stories here ({{recent}} in the last 30 days). "
    "Who they are is never shown, to anyone."
)
UNBLOCK_NEEDS = (
    "Tell me which one: anon: with the tag moderators saw (like 7F3K), or everyone:True."
)
UNBLOCK_BAD_TAG = "“{raw}” doesn’t look like an Anon tag; it’s four letters or digits, like 7F3K."
UNBLOCK_NOT_FOUND = "Nobody blocked here has the tag {anon}."
UNBLOCK_AMBIGUOUS = (
    "More than one blocked author shares the tag {anon}, so I didn’t guess. Use the Unblock "
    "button on the moderator message instead."
)
UNBLOCKED_ALL = "Unblocked everyone ({count}). They can all share stories here again."

# -- admins -------------------------------------------------------------------------------------
POST_FAILED_NOTICE = (
    "A story in **{server}** couldn’t be posted: I can’t reach the stories channel ({channel}) "
    "anymore. Choose one I can post in with /stories settings channel:."
)
CHANNEL_UNUSABLE_NOTICE = (
    "A member tried to share a story in **{server}**, but I can’t use the stories channel "
    "({channel}): it’s gone, or I’m not allowed to post there. Until it’s fixed, /share tells "
    "members that stories aren’t set up right now. Choose a channel with /stories settings."
)
QUEUE_FAILED_NOTICE = (
    "A story in **{server}** is waiting for approval, but I can’t post in the moderator "
    "channel ({channel}). Choose one with /stories settings mod_channel:."
)

# -- what /about says about this feature
ABOUT_BLURB = "anonymous rejection stories"
PRIVACY_LINE = (
    "• **Stories:** the text you share, posted without your name. Who wrote it is kept only "
    "as a keyed pseudonym — moderators can't read it back to you. Only if you ask for DMs "
    "about a story is your id also kept, encrypted, so the bot can message you."
)

# -- its page in /setup
SETUP_PAGE = "Stories"
SETUP_CHANNEL = "Stories channel"
SETUP_MOD_CHANNEL = "Moderators' channel"
SETUP_APPROVAL = "Approve stories first"
SETUP_APPROVAL_NEEDS_MOD_CHANNEL = (
    "Approval needs a moderator channel to send stories to. Pick the moderators' channel first."
)

# -- how /privacy delete names its rows (singular, plural)
ROW_NAMES: dict[str, tuple[str, str]] = {
    "stories": ("story", "stories"),
    "story_reports": ("report you made", "reports you made"),
    "story_blocks": ("block on sharing", "blocks on sharing"),
    "story_updates": ("update to a story", "updates to stories"),
    "story_followers": ("story you followed", "stories you followed"),
    "story_update_reports": ("report of an update", "reports of updates"),
}

# -- the comeback: a story's update (cogs/stories/comeback*.py) ----------------------------------
COMEBACK_DESCRIPTION = "Share an update on your story in its thread, anonymously, as OP."
CB_MODAL_TITLE = "An update on your story"
CB_FIELD_TEXT = "What's new?"
CB_FIELD_TEXT_HINT = "Up to 1,000 characters. Posted in your story's thread as OP, never your name."
CB_FIELD_KIND = "What kind of update?"
CB_FIELD_CARD = "Also a short card in the stories channel?"
CB_CARD_YES = "Yes, a short card linking to the thread"
CB_CARD_NO = "No, only in the thread"
CB_OUTSIDE_THREAD = (
    "/comeback works inside your story’s thread (or from /mystories → Update). Open the "
    "thread under your story and try it there."
)
CB_NOT_AUTHOR = "Only the person who shared this story can add an update to it."
CB_NOT_POSTED = "That story isn’t up right now, so it can’t take an update."
CB_GONE = "That update isn’t there any more."
CB_REMOVED_NO_EDIT = (
    "A moderator removed this update, so it can’t be edited. You can delete it, or share a new "
    "one whenever you like."
)
CB_EMPTY = "Your update came through empty. Nothing was posted; try again whenever you like."
CB_TOO_SHORT = (
    "Your update needs a few words of your own (at least {letters} letters), so nothing was "
    "posted. Try again whenever you like."
)
CB_TOO_LONG = (
    "An update holds up to {limit:,} characters, so nothing was posted. Could you shorten it?"
)
CB_ACK_POSTING = (
    "🌱 Thank you for coming back to tell us. Your update will appear in your story’s thread "
    "{when} as “Update from OP”. Nobody, moderators included, can see it was you."
)
CB_ACK_CARD = "A short card in the stories channel will point people to it."
CB_ACK_REVIEW = (
    "🌱 Thank you for coming back to tell us. This server’s moderators look at updates "
    "first; it will appear in your story’s thread once approved."
)
CB_ACK_FOOTER = "-# You can edit or delete it any time from /mystories → Update."
CB_NUDGE = (
    "Before it goes up: your update seems to include {details}, which could help someone "
    "recognise you. Edit it, or post it as it is if that’s fine with you."
)
CB_DISCARDED = "Your update was not posted, and nothing of it was kept."
CB_DELETED = "Your update was deleted, from the thread and the stories channel."
CB_THREAD_TITLE = "🌱 Update from OP · {kind}"
CB_THREAD_FOOTER = "If you encouraged this story or said “me too”: this is for you too. Thank you."
CB_CARD = "🌱 **{label} has an update:** {kind}. {link}"
CB_FOLLOWER_DM = (
    "🌱 {label} in **{server}**, a story you follow, has an update: {kind}. {link}\n"
    "-# You get this because you pressed Follow. Press it again under the story to stop."
)
CB_UPDATES_TITLE = "**Updates on {label}** (only you see this)"
CB_UPDATES_NONE = "No updates yet. Whenever there’s something to tell, big or small, it’s welcome."
CB_UPDATES_LINE = "{n}. {kind} · {status}"
CB_STATUS = {
    "scheduled": "on its way",
    "pending": "waiting for a moderator",
    "posted": "posted",
    "rejected": "not approved",
    "removed": "removed by a moderator",
    "failed": "could not be posted",
}
CB_NEW = "Share an update"
CB_EDIT = "Edit {n}"
CB_DELETE = "Delete {n}"
CB_UPDATE_BUTTON = "Update {n}"
FOLLOW = "Follow"
FOLLOWING = (
    "You’re following {label}: when its writer shares an update, I’ll DM you (only you). "
    "Press Follow again to stop."
)
UNFOLLOWED = "You no longer follow {label}. Nothing of your follow was kept."
FOLLOW_OWN = "That’s your own story: you’ll know about its updates first."
CB_QUEUE_TITLE = "An update on {label} to approve · {anon}"
CB_QUEUE_FOOTER = "Only an Anon tag is shown: nobody, moderators included, sees who wrote it."
CB_QUEUE_APPROVED = "✅ Approved by {moderator}: the update goes to the story’s thread."
CB_QUEUE_REJECTED = "Not approved by {moderator}. The update will not be posted."
CB_QUEUE_REJECTED_NOTE = (
    "Not approved by {moderator}, with a note to the author. The update will not be posted."
)
CB_REJECTED_REPLY = "Done. {noted}"
CB_REJECT_MODAL_TITLE = "Don’t approve this update"
CB_REJECT_PLACEHOLDER = "Sent only to the author. Be kind: this was their good news."
CB_UPDATES_NOTE = "   -# A moderator’s note: {note}"
CB_DM_REJECTED = "Your update on {label} in **{server}** wasn’t posted. A moderator said: “{note}”"
CB_DM_REJECTED_NO_NOTE = (
    "Your update on {label} in **{server}** wasn’t posted this time. Your news is still "
    "yours, and it still counts; you can share another update whenever you like."
)
CB_REPORT_TITLE = "A report about an update on {label} · {anon}"
CB_REPORT_REMOVED = "🗑️ Update removed by {moderator}."
CB_REMOVED_REPLY = "The update was removed from the thread and the stories channel."

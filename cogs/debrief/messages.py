"""Every sentence a member reads from /debrief, in one place. Written for someone in a hard week:
no pressure to debrief, no guilt for not hearing back, no "you should have"."""

from __future__ import annotations

ABOUT_BLURB = (
    "a private interview debrief only you can read, a polite feedback request to copy, and an "
    "optional reminder to check whether you heard back"
)
PRIVACY_LINE = (
    "• **Debriefs:** what you write in /debrief, sealed with a key of your own (nobody else "
    "can read it), your reminders and counts, until you delete them."
)
ROW_NAMES = {
    "debrief_entries": ("debrief", "debriefs"),
    "debrief_reminders": ("feedback reminder", "feedback reminders"),
    "debrief_members": ("debrief setting", "debrief settings"),
}

GROUP = "A private debrief after an interview: only you can read it."
NEW = "Write a private debrief of an interview (two short steps)."
LIST = "Your debriefs, newest first (only you see them)."
SHOW = "Read one of your debriefs, with feedback and reminder buttons."
SHOW_NUMBER = "Which one: 1 is the newest (default 1)"
DELETE = "Delete one of your debriefs."
DELETE_NUMBER = "Which one: its number in /debrief list"
PATTERNS = "What repeats across your own debriefs (after three)."
COUNTS = "Your feedback counts, and whether /streak show includes them."
COUNTS_IN_STREAK = "Show them in your own /streak show (never when you share it)"

# -- step 1 ------------------------------------------------------------------------------------
FORM_START_TITLE = "Debrief (1 of 2): the interview"
FIELD_ROLE = "Role (optional, private)"
FIELD_COMPANY = "Company (optional, private)"
FIELD_STAGE = "Where it ended"
FIELD_STAGE_PLACEHOLDER = "Pick the stage"
FIELD_DATE = "Date of the interview"
FIELD_DATE_PLACEHOLDER = "YYYY-MM-DD, or leave empty for today"

# -- step 2 ------------------------------------------------------------------------------------
FORM_QUESTIONS_TITLE = "Debrief (2 of 2): looking back"
FIELD_KINDS = "Questions that threw me (any, or none)"
FIELD_KINDS_PLACEHOLDER = "Pick any that fit"
FIELD_THREW = "What threw me"
FIELD_THREW_HINT = "A question, a moment. A few words are plenty."
FIELD_CAME_ACROSS = "How I came across"
FIELD_CAME_ACROSS_HINT = "Confident? Engaged? Whatever you noticed, kindly."
FIELD_RESEARCH = "What I'd look into next time"
FIELD_WENT_WELL = "What went well"
FIELD_WENT_WELL_HINT = "There is always something. It counts."

SAVED_STEP_ONE = (
    "Saved privately: **{title}** ({stage}, {day}). Only you can read it.\n"
    "When you feel like it, add a few thoughts with the button below: what threw you, how you "
    "came across, what went well. There’s no rush, and it’s fine to leave it here."
)
SAVED_STEP_TWO = (
    "Thank you for taking a moment to look back on **{title}**. It’s saved, only for you.\n"
    "Whenever you like: ask for feedback, or set a gentle reminder to check whether you heard "
    "back."
)
BUTTON_QUESTIONS = "Add my thoughts"
BUTTON_EDIT_QUESTIONS = "Edit my thoughts"
BUTTON_FEEDBACK = "Ask for feedback"
BUTTON_REMIND = "Remind me"
BUTTON_DELETE = "Delete"
BUTTON_CONFIRM_DELETE = "Yes, delete it"
BUTTON_KEEP = "Keep it"

TITLE_ROLE_AT = "{role} at {company}"
TITLE_NONE = "An interview"
TOO_LONG = "{what} can be at most {limit} characters; nothing was saved."
WHAT_ROLE = "The role"
WHAT_COMPANY = "The company"
WHAT_ANSWER = "Each answer"
WHAT_NAME = "The name"
WHAT_DATE = "The date"
WHAT_TIME = "The time"
BAD_DATE = (
    "I couldn’t read “{value}” as a date. Try YYYY-MM-DD (like 2026-03-02), or leave it "
    "empty for today. Nothing was saved."
)
FUTURE_DATE = "That date is still ahead. Pick the day the interview happened; nothing was saved."
BAD_CHOICE = "That wasn’t one of the choices, so nothing changed."
BAD_DAYS = "Pick 3 to 14 days for the reminder; nothing changed."
NOT_FOUND = "I couldn’t find that debrief in your journal. Nothing changed."
NUMBER_NOT_FOUND = (
    "You have {count} debrief(s); pick a number from 1 to {count} (see /debrief list)."
)
EMPTY = "Your journal is empty for now. Whenever you want to, /debrief new starts one."

# -- list and show -------------------------------------------------------------------------------
LIST_HEADER = "**Your debriefs** (newest first, only you can see this), page {page} of {pages}:"
LIST_LINE = "`{number}.` {day} · **{title}** · {stage}{thoughts}"
LIST_THOUGHTS = " · with your thoughts"
LIST_FOOTER = "Open one with /debrief show number:<n>."
SHOW_TITLE = "{number}. {title}"
SHOW_DESCRIPTION = "{stage} · {day}\nOnly you can read this debrief."
SHOW_FOOTER = "Debrief {number} of {count}"
SHOW_KINDS = "Questions that threw me"
SHOW_NO_THOUGHTS = "No thoughts added yet; that’s fine. The button below adds them whenever."
SHOW_FEEDBACK_ASKED = "You drafted a feedback request for this one."
SHOW_REMINDER = "A reminder is set for {when}."

# -- delete --------------------------------------------------------------------------------------
DELETE_CONFIRM = "Delete **{title}** ({day}) from your journal? This can’t be undone."
DELETED = "Deleted. It’s gone from your journal, and any reminder for it is off."
KEPT = "Kept. Nothing changed."

# -- patterns ------------------------------------------------------------------------------------
PATTERNS_TOO_FEW = (
    "Patterns show up after {needed} debriefs; you have {count} so far. There’s no hurry: "
    "they’re here whenever you write another."
)
PATTERNS_HEADER = (
    "**What repeats in your {count} debriefs** (counted from your own words and choices; "
    "nothing leaves the bot):"
)
PATTERNS_STAGE = "• Where it ended most often: **{stage}** ({times} of {count})."
PATTERNS_STAGES_OTHER = "• Also: {others}."
PATTERNS_KINDS = "• Questions that threw you more than once: {kinds}."
PATTERNS_NO_KINDS = "• No kind of question threw you more than once."
PATTERNS_WORDS = "• Words that came up more than once in “what threw me”: {words}."
PATTERNS_CLOSE = (
    "A pattern is just a place to practise, not a verdict. Many people find one focused "
    "practice session on a repeating question makes the next one feel lighter."
)
TIMES = "{label} ×{n}"

# -- feedback ------------------------------------------------------------------------------------
FORM_FEEDBACK_TITLE = "Ask for feedback: a draft"
FIELD_INTERVIEWER = "The interviewer’s name (optional)"
FIELD_INTERVIEWER_HINT = "Used only in the draft you copy."
FIELD_TONE = "Tone"
FEEDBACK_DRAFT = (
    "Here’s a {tone} draft to copy (I never send anything to anyone: it’s yours to send, "
    "or not):\n```\n{draft}\n```"
    "Asking is a brave, ordinary thing to do. If no answer comes, that says nothing about you."
)
GREETING_NAMED = "Hi {name},"
GREETING_FORMAL_NAMED = "Dear {name},"
GREETING_PLAIN = {"brief": "Hi,", "warm": "Hello,", "formal": "Dear hiring team,"}
DRAFT_ROLE_NONE = "the role"
DRAFT_COMPANY_NONE = "your team"
DRAFT_AT = "at"
DRAFTS = {
    "brief": (
        "{greeting}\n\nThank you for interviewing me for {role}{company} on {day}. If you have a "
        "moment, I’d be grateful for any feedback that could help me improve.\n\nThank you!"
    ),
    "warm": (
        "{greeting}\n\nThank you again for taking the time to talk with me about {role}{company} "
        "on {day}. I really enjoyed learning about the team. I’m always trying to grow, so if "
        "you’re able to share any feedback on my interview, even a line or two, it would mean "
        "a lot.\n\nWishing you and the team all the best."
    ),
    "formal": (
        "{greeting}\n\nThank you for the opportunity to interview for {role}{company} on {day}. "
        "I would appreciate any feedback you are able to share regarding my interview, as it "
        "would help me in my professional development.\n\nThank you for your time and "
        "consideration.\n\nKind regards"
    ),
}

# -- reminders -----------------------------------------------------------------------------------
FORM_REMIND_TITLE = "A reminder to check for an answer"
FIELD_REMIND_DAYS = "In how many days"
FIELD_REMIND_TIME = "At what time (your time zone)"
FIELD_REMIND_TIME_HINT = "24-hour HH:MM; empty is 09:00"
REMIND_DAYS_OPTION = "{days} days"
REMINDER_SET = (
    "Done. I’ll DM you {when} ({relative}), {zone_note}to ask whether you heard back about "
    "**{title}**. You can stop it from that message."
)
ZONE_OWN = "in your time zone ({zone}), "
ZONE_DEFAULT = "in UTC (set yours with /timezone set), "
REMINDER_DM = (
    "Hi, a gentle check-in about your interview for **{title}** ({day}). Did you hear back "
    "about your feedback request? Whatever the answer, it says nothing about your worth."
)
REMINDER_DM_AGAIN = (
    "Hi again, one last gentle check-in about **{title}** ({day}). No answer yet is very "
    "common, and it’s not on you. After this one I won’t ask again."
)
BUTTON_HEARD = "Yes, and it helped"
BUTTON_NO_ANSWER = "No answer"
BUTTON_STOP = "Stop reminding me"
ANSWER_HEARD = "That’s lovely to hear. I’ve added it to your counts. Well done for asking."
ANSWER_NO_ANSWER = (
    "Thanks for telling me. Silence is common and it isn’t about you. I’ll ask once more in "
    "a week, then stop."
)
ANSWER_NO_ANSWER_LAST = (
    "Thanks for letting me know. I won’t ask again about this one. Asking was the brave part, "
    "and you did it."
)
ANSWER_STOPPED = "Done, no more reminders about this one. Take good care."
ANSWER_ALREADY = "This reminder is already answered; nothing changed."
DMS_CLOSED_NOTICE = (
    "A small heads-up: I couldn’t deliver your feedback reminder by DM (your DMs seem closed "
    "to me). Nothing else changed; /debrief show still has everything."
)

# -- counts --------------------------------------------------------------------------------------
COUNTS_TEXT = (
    "**Your feedback counts** (only you see this):\n"
    "• Feedback requests drafted: **{asked}**\n"
    "• Answers that helped: **{answers}**\n"
    "In your own /streak show: **{shown}** (it’s never included when you share it)."
)
SHOWN_YES = "yes"
SHOWN_NO = "no"
STREAK_LINE = "📝 Feedback asked: **{asked}** · answers received: **{answers}**"

# -- crisis --------------------------------------------------------------------------------------
CRISIS_INTRO = "Your debrief is saved. And because some of what you wrote sounds really heavy:"

# Words too common to be a pattern in "what threw me".
COMMON_WORDS = frozenset(
    {
        "about", "after", "again", "also", "asked", "because", "been", "before", "being", "could",
        "didn't", "does", "doing", "dont", "don't", "every", "from", "have", "having", "into",
        "just", "know", "like", "made", "make", "more", "much", "felt", "really", "should",
        "some", "than", "that", "their", "them", "then", "there", "these", "they", "thing",
        "things", "think", "this", "those", "very", "want", "were", "what", "when", "where",
        "which", "while", "with", "would", "your", "question", "questions", "interview",
    }
)  # fmt: skip

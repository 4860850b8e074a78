"""Everything /privacy and server retention say, in one place."""

from __future__ import annotations

GROUP_DESCRIPTION = "See or delete everything Rebound stores about you."
EXPORT_DESCRIPTION = "Get a file with everything Rebound stores about you (only you see it)."
DELETE_DESCRIPTION = "Delete everything Rebound stores about you, after you confirm."

EXPORT_READY_ONE = (
    "Here’s everything Rebound stores about you, as a JSON file only you can see (1 item). Dates "
    "and times are in ISO 8601, UTC. Your stories are in it because I can recognise them from "
    "your keyed pseudonym — nobody else can."
)
EXPORT_READY = (
    "Here’s everything Rebound stores about you, as a JSON file only you can see ({count} items). "
    "Dates and times are in ISO 8601, UTC. Your stories are in it because I can recognise them "
    "from your keyed pseudonym — nobody else can."
)
EXPORT_EMPTY = (
    "Rebound stores nothing about you right now. The file shows every place I looked, all empty."
)

DELETE_PROMPT = (
    "This deletes everything Rebound stores about you, in every server: {summary}.\n"
    "Stories you shared come down from the server too: each post, its thread with everything in "
    "it (other members’ kind words and me-toos) and any report about it. So do the kind words you "
    "signed with your name and your OP replies; your anonymous kind words stay up, with nothing "
    "left that ties them to you. It can’t be undone — /privacy export first if you’d like a copy."
)
DELETE_NOTHING = (
    "Rebound stores nothing about you right now, so there’s nothing to delete. Take care."
)
CONFIRM = "Delete everything"
CANCEL = "Keep it"
DELETED = "Done — I deleted everything Rebound stored about you: {summary}. Take care of yourself."
DELETED_NOTHING_LEFT = "There was nothing left to delete — it’s all gone already."
CANCELLED = "Nothing was deleted."
SOMETHING_WENT_WRONG = (
    "Something went wrong on my side, and your data was not deleted (some of your posts may "
    "already be down). Please try /privacy delete again."
)

# How the core's tables' rows are named when telling a member what was found or removed:
# (singular, plural). Each feature names its own tables' rows (`Feature.row_names`); tables not
# named anywhere are named after the table.
ROW_NAMES: dict[str, tuple[str, str]] = {
    "scheduled_jobs": ("upcoming delivery", "upcoming deliveries"),
    "job_runs": ("past delivery record", "past delivery records"),
}

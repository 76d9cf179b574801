"""The gate's reasons in plain words, worded when a page is shown.

Reasons are stored as codes with dates (`progression.Reason`), so "tomorrow
morning" is worked out from the client's today at the moment of reading, and
one wording serves every page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from clients.progression import Light, Reason, Status, Suggestion

STATUS_WORDS = {
    Status.READY: "Ready to progress",
    Status.HOLD: "Keep going at this stage",
    Status.FLARE: "Flare-up: take it easy",
}
STATUS_LABELS = {Status.READY: "Ready", Status.HOLD: "Hold", Status.FLARE: "Flare-up"}
LIGHT_WORDS = {
    Light.GREEN: "Green: well tolerated",
    Light.AMBER: "Amber: acceptable, keep an eye on it",
    Light.RED: "Red: too much for now",
    Light.MISSED: "Missed: no check-in the morning after",
    Light.PENDING: "Waiting for the next-morning check-in",
}
SUGGESTION_WORDS = {
    Suggestion.CUT: "suggested: cut the volume or load at this stage",
    Suggestion.REGRESS: "suggested: regress one stage (two red days within a week)",
    Suggestion.COMPLETE: "suggested: maintenance, or discharge",
}
CAUSES = {
    "during_too_much": "pain during was above the ceiling",
    "after_too_much": "pain after was above the ceiling",
    "morning_worse": "back pain was 2 or more points worse the next morning",
}


def _day(on: date) -> str:
    return f"{on:%A} {on.day} {on:%B}"


def check_in_wait(on: date, today: date) -> str:
    """The one wording for a check-in that is still to come."""
    if on >= today:
        return "waiting for tomorrow morning's check-in"
    if on + timedelta(days=1) == today:
        return "waiting for today's check-in (open until midnight)"
    return f"waiting for the check-in after {_day(on)}"


def words(reason: Reason, today: date) -> str:
    """One reason, in words true today."""
    code, on, count, of = reason.code, reason.on, reason.count, reason.of
    match code:
        case "during_too_much":
            return f"pain reached {count} during the session, above the ceiling"
        case "after_too_much":
            return f"pain was {count} after the session, above the ceiling"
        case "morning_worse":
            return f"back pain was {count} the next morning, up from your usual {of}"
        case "during_amber":
            return f"pain reached {count} during the session"
        case "after_amber":
            return f"pain was {count} after the session"
        case "morning_up_one":
            return f"back pain was {count} the next morning, 1 above your usual {of}"
        case "back_hurt":
            return "the lower back hurt"
        case "rest_high":
            return f"pain at rest is high ({count}): talk to your coach"
        case "logged_late" | "check_in_missed":
            return f"no check-in the morning after {_day(on)}" if on else "no check-in"
        case "check_in_wait":
            return check_in_wait(on or today, today)
        case "red":
            cause = CAUSES.get(reason.name, "a red session")
            when = "today" if on == today else f"on {_day(on)}" if on else ""
            return f"red {when}: {cause}".replace("  ", " ")
        case "creep_flare":
            return f"pain creeping up week on week (usually {of}, now {count})"
        case "creep_small":
            return f"pain a little higher than last week (usually {of}, now {count})"
        case "no_sessions":
            return "no sessions logged at this stage yet"
        case "green_days":
            return f"{count} of {of} green days"
        case "stale":
            return f"the last green day was over two weeks ago ({_day(on)})" if on else ""
        case "missed_check_ins":
            return f"check-ins missed this week ({count})"
        case "signoff_missing":
            return f"technique not signed off for the {reason.name.lower()}"
        case "ready_after_check_in":
            day = "tomorrow's" if on is None or on >= today else "today's"
            return f"ready after {day} check-in"
        case "ready":
            return f"ready for the {reason.name.lower()}"
        case "complete":
            return "programme complete"
    return code.replace("_", " ")


def reasons_in_words(stored: Iterable[dict[str, Any]], today: date) -> list[str]:
    return [words(Reason.from_json(item), today) for item in stored]

"""Adherence: days with a logged session against the days the prescription asks for.

Pure functions over plain data (no ORM). A day expects sessions_per_week / 7 of a
training day from the prescription in force on it; paused days expect nothing and
count nothing. Rates are capped at 100%, over the last 7 days (today included) and
over days 8-30. A client needs attention, once 14 days into the programme, when
the 7-day rate falls 20 points or more below the days 8-30 rate, or when nothing
has been logged for 7 days.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

WEEK_DAYS = 7
MONTH_DAYS = 30
ATTENTION_DROP = 20
QUIET_DAYS = 7
SETTLING_DAYS = 14


@dataclass(frozen=True)
class Adherence:
    week: int | None
    month: int | None
    needs_attention: bool


def week_days(today: date) -> list[date]:
    return [today - timedelta(days=i) for i in range(WEEK_DAYS)]


def month_days(today: date) -> list[date]:
    return [today - timedelta(days=i) for i in range(WEEK_DAYS, MONTH_DAYS)]


def expected(
    days: Iterable[date], per_week: Callable[[date], float], paused: Collection[date]
) -> float:
    """Training days the prescriptions ask for over some days, paused ones left out."""
    return sum(per_week(day) / 7 for day in days if day not in paused)


def rate(
    days: Iterable[date], done: Collection[date], expected_days: float, paused: Collection[date]
) -> int | None:
    """Percent of expected training days with a session, capped at 100; None if none expected."""
    if expected_days <= 0:
        return None
    logged = sum(1 for day in days if day in done and day not in paused)
    return min(100, round(100 * logged / expected_days))


def judge(
    *,
    week: int | None,
    month: int | None,
    today: date,
    started_on: date,
    last_session_on: date | None,
) -> Adherence:
    settled = (today - started_on).days >= SETTLING_DAYS
    quiet = last_session_on is None or (today - last_session_on).days >= QUIET_DAYS
    dropped = week is not None and month is not None and week <= month - ATTENTION_DROP
    return Adherence(week, month, settled and (quiet or dropped))


@dataclass(frozen=True)
class Basis:
    """What a day's adherence rests on apart from the sessions, so a log can update it at once."""

    on: date
    started_on: date
    expected_week: float
    expected_month: float
    paused: frozenset[date]

    def as_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "started_on": self.started_on.isoformat(),
            "expected_week": self.expected_week,
            "expected_month": self.expected_month,
            "paused": sorted(day.isoformat() for day in self.paused),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Basis | None:
        if not data:
            return None
        return cls(
            on=date.fromisoformat(data["on"]),
            started_on=date.fromisoformat(data["started_on"]),
            expected_week=float(data["expected_week"]),
            expected_month=float(data["expected_month"]),
            paused=frozenset(date.fromisoformat(d) for d in data["paused"]),
        )


def basis(
    *,
    today: date,
    started_on: date,
    per_week: Callable[[date], float],
    paused: Collection[date],
) -> Basis:
    return Basis(
        on=today,
        started_on=started_on,
        expected_week=expected(week_days(today), per_week, paused),
        expected_month=expected(month_days(today), per_week, paused),
        paused=frozenset(paused),
    )


def adherence(base: Basis, *, done: Collection[date], last_session_on: date | None) -> Adherence:
    """The rates and the attention flag on the basis's day, from the days with a session."""
    today = base.on
    return judge(
        week=rate(week_days(today), done, base.expected_week, base.paused),
        month=rate(month_days(today), done, base.expected_month, base.paused),
        today=today,
        started_on=base.started_on,
        last_session_on=last_session_on,
    )

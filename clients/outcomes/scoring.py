"""What the outcome measures say: when the PSFS is due, and whether a change matters.

Plain functions over plain data. The thresholds for a meaningful PSFS change
are Stratford et al. 1995 (Physiotherapy Canada 47(4):258-263): 2 points in the
mean of the three activities, or 3 points in one activity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

PSFS_EVERY_DAYS = 28
MEANINGFUL_MEAN_CHANGE = 2
MEANINGFUL_ACTIVITY_CHANGE = 3


def psfs_due_on(last_answered_on: date | None, today: date) -> date:
    """The day the PSFS is next asked: today for a first answer, then every 4 weeks."""
    if last_answered_on is None:
        return today
    return last_answered_on + timedelta(days=PSFS_EVERY_DAYS)


def week_of(day: date) -> date:
    """The Monday of the week a day falls in: the weekly rating is one a week."""
    return day - timedelta(days=day.weekday())


def mean(scores: Sequence[int]) -> Fraction:
    """The exact mean (thirds stay thirds, so 2 points is 2 points, never 1.999)."""
    return Fraction(sum(scores), len(scores))


def one_decimal(value: Fraction) -> str:
    return f"{float(value):.1f}"


def _direction(change: Fraction, *, meaningful: bool, threshold: int, decimals: bool) -> str:
    """Words for a change, like "up 2.3 points: a meaningful improvement (2 points or more)"."""
    if change == 0:
        return "no change"
    size = one_decimal(abs(change)) if decimals else str(abs(change))
    size += " point" if size == "1" else " points"
    way = "up" if change > 0 else "down"
    if not meaningful:
        return f"{way} {size}: less than the {threshold} points of a meaningful change"
    better = "improvement" if change > 0 else "worsening"
    return f"{way} {size}: a meaningful {better} ({threshold} points or more)"


@dataclass(frozen=True)
class ActivityChange:
    activity: str
    first: int
    latest: int

    @property
    def change(self) -> int:
        return self.latest - self.first

    @property
    def meaningful(self) -> bool:
        return abs(self.change) >= MEANINGFUL_ACTIVITY_CHANGE

    @property
    def words(self) -> str:
        return f"{self.activity}: from {self.first} to {self.latest}, " + _direction(
            Fraction(self.change),
            meaningful=self.meaningful,
            threshold=MEANINGFUL_ACTIVITY_CHANGE,
            decimals=False,
        )


@dataclass(frozen=True)
class PsfsChange:
    """The change from the first PSFS to the latest, in numbers and in words."""

    first_on: date
    latest_on: date
    first_mean: Fraction
    latest_mean: Fraction
    activities: list[ActivityChange]

    @property
    def mean_change(self) -> Fraction:
        return self.latest_mean - self.first_mean

    @property
    def mean_meaningful(self) -> bool:
        return abs(self.mean_change) >= MEANINGFUL_MEAN_CHANGE

    @property
    def meaningful(self) -> bool:
        """A meaningful change in the mean, or in any one activity."""
        return self.mean_meaningful or any(a.meaningful for a in self.activities)

    @property
    def words(self) -> str:
        return (
            f"Mean of the three activities: from {one_decimal(self.first_mean)} "
            f"({self.first_on:%-d %b %Y}) to {one_decimal(self.latest_mean)} "
            f"({self.latest_on:%-d %b %Y}), "
            + _direction(
                self.mean_change,
                meaningful=self.mean_meaningful,
                threshold=MEANINGFUL_MEAN_CHANGE,
                decimals=True,
            )
            + "."
        )


def psfs_change(
    *,
    first_on: date,
    first: Sequence[int],
    latest_on: date,
    latest: Sequence[int],
    activities: Sequence[str],
) -> PsfsChange:
    """From the first answer to the latest; higher is better (10 = as before)."""
    return PsfsChange(
        first_on=first_on,
        latest_on=latest_on,
        first_mean=mean(first),
        latest_mean=mean(latest),
        activities=[
            ActivityChange(name, before, now)
            for name, before, now in zip(activities, first, latest, strict=True)
        ],
    )


@dataclass(frozen=True)
class PainChange:
    """The weekly rating's change from the first week to the latest; lower is better."""

    first_week: date
    latest_week: date
    first: int
    latest: int

    @property
    def change(self) -> int:
        return self.latest - self.first

    @property
    def words(self) -> str:
        start = f"from {self.first} (week of {self.first_week:%-d %b %Y})"
        now = f"to {self.latest} (week of {self.latest_week:%-d %b %Y})"
        if self.change == 0:
            trend = "no change (lower is better)"
        else:
            points = "point" if abs(self.change) == 1 else "points"
            better = "an improvement" if self.change < 0 else "a worsening"
            way = "down" if self.change < 0 else "up"
            trend = f"{way} {abs(self.change)} {points}, {better} (lower is better)"
        return f"Average back pain over the week: {start} {now}, {trend}."

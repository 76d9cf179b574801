"""The outcome rules at their boundaries: when the PSFS is due, and which changes matter."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from clients.outcomes.scoring import (
    PainChange,
    PsfsChange,
    mean,
    psfs_change,
    psfs_due_on,
    week_of,
)

START, LATER = date(2026, 1, 5), date(2026, 2, 2)
NAMES = ["Putting on socks", "Sitting through a film", "Carrying shopping"]


def change(first: list[int], latest: list[int]) -> PsfsChange:
    return psfs_change(
        first_on=START, first=first, latest_on=LATER, latest=latest, activities=NAMES
    )


def test_the_first_psfs_is_due_at_once_then_every_four_weeks() -> None:
    assert psfs_due_on(None, START) == START
    assert psfs_due_on(START, LATER) == date(2026, 2, 2)
    assert (psfs_due_on(START, LATER) - START).days == 28


@pytest.mark.parametrize(
    ("day", "monday"),
    [(date(2026, 1, 5), date(2026, 1, 5)), (date(2026, 1, 11), date(2026, 1, 5))],
)
def test_a_week_runs_monday_to_sunday(day: date, monday: date) -> None:
    assert week_of(day) == monday


def test_the_mean_is_exact_in_thirds() -> None:
    assert mean([1, 2, 2]) == Fraction(5, 3)
    assert mean([6, 6, 6]) - mean([4, 4, 4]) == 2


@pytest.mark.parametrize(
    ("first", "latest", "meaningful", "words"),
    [
        ([3, 3, 3], [5, 5, 4], False, "up 1.7 points: less than the 2 points"),
        ([3, 3, 3], [5, 5, 5], True, "up 2.0 points: a meaningful improvement"),
        ([3, 3, 3], [6, 5, 4], True, "up 2.0 points: a meaningful improvement"),
        ([6, 6, 6], [4, 4, 4], True, "down 2.0 points: a meaningful worsening"),
        ([6, 6, 6], [4, 5, 4], False, "down 1.7 points: less than the 2 points"),
        ([4, 4, 4], [4, 4, 4], False, "no change"),
    ],
)
def test_two_points_in_the_mean_of_the_three_is_meaningful(
    first: list[int], latest: list[int], meaningful: bool, words: str
) -> None:
    found = change(first, latest)
    assert found.mean_meaningful is meaningful
    assert words in found.words


@pytest.mark.parametrize(
    ("first", "latest", "meaningful", "words"),
    [
        (2, 4, False, "Putting on socks: from 2 to 4, up 2 points: less than the 3 points"),
        (2, 5, True, "Putting on socks: from 2 to 5, up 3 points: a meaningful improvement"),
        (7, 4, True, "Putting on socks: from 7 to 4, down 3 points: a meaningful worsening"),
        (7, 6, False, "Putting on socks: from 7 to 6, down 1 point: less than"),
    ],
)
def test_three_points_in_one_activity_is_meaningful(
    first: int, latest: int, meaningful: bool, words: str
) -> None:
    found = change([first, 5, 5], [latest, 5, 5])
    activity = found.activities[0]
    assert activity.meaningful is meaningful
    assert activity.words.startswith(words)


def test_one_activity_alone_makes_the_change_meaningful_when_the_mean_does_not() -> None:
    found = change([2, 5, 5], [5, 5, 5])
    assert not found.mean_meaningful and found.activities[0].meaningful
    assert found.meaningful


def test_the_mean_change_is_dated_from_the_start() -> None:
    assert change([3, 3, 4], [5, 6, 6]).words == (
        "Mean of the three activities: from 3.3 (5 Jan 2026) to 5.7 (2 Feb 2026), "
        "up 2.3 points: a meaningful improvement (2 points or more)."
    )


@pytest.mark.parametrize(
    ("first", "latest", "words"),
    [
        (6, 3, "down 3 points, an improvement (lower is better)"),
        (3, 4, "up 1 point, a worsening (lower is better)"),
        (5, 5, "no change (lower is better)"),
    ],
)
def test_the_weekly_rating_says_lower_is_better(first: int, latest: int, words: str) -> None:
    assert PainChange(START, LATER, first, latest).words.endswith(words + ".")

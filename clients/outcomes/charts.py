"""Server-rendered inline SVG for the outcome measures, each with a table beside it.

Both scales run 0-10 but point opposite ways: on the PSFS higher is better (10 =
able to do the activity as before), on the weekly pain rating lower is better
(0 = no pain). Every chart says which, in its title and its caption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clients.outcomes.models import PsfsAnswer, WeeklyPain
from clients.outcomes.scoring import mean, one_decimal

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 28, 8, 8, 24
ACTIVITY_STYLES = [("#0b5394", ""), ("#6f42c1", "6 4"), ("#b35900", "2 3")]
MEAN_COLOUR = "#146c43"
PAIN_COLOUR = "#b02a37"


def _y(level: float) -> float:
    return round(TOP + (10 - level) * (HEIGHT - TOP - BOTTOM) / 10, 1)


def _xs(count: int) -> list[float]:
    inner = WIDTH - LEFT - RIGHT
    if count == 1:
        return [round(LEFT + inner / 2, 1)]
    return [round(LEFT + i * inner / (count - 1), 1) for i in range(count)]


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    dash: str
    stroke: float
    points: list[tuple[float, float]]

    @property
    def path(self) -> str:
        return " ".join(f"{x},{y}" for x, y in self.points)


@dataclass(frozen=True)
class OutcomeChart:
    """Lines over the answers, oldest first, and the same numbers as a table."""

    slug: str
    better: str
    summary: str
    lines: list[Line]
    columns: list[str]
    rows: list[list[str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM

    @property
    def gridlines(self) -> list[tuple[int, float]]:
        return [(level, _y(level)) for level in (0, 5, 10)]

    @property
    def title(self) -> str:
        return f"{self.better} {self.summary}"


def psfs_chart(answers: Sequence[PsfsAnswer]) -> OutcomeChart:
    """Each activity's score and the mean of the three, answer by answer."""
    xs = _xs(len(answers))
    activities = answers[-1].activities if answers else ["", "", ""]
    lines = [
        Line(
            label=name,
            colour=colour,
            dash=dash,
            stroke=2,
            points=[(x, _y(a.scores[i])) for x, a in zip(xs, answers, strict=True)],
        )
        for i, (name, (colour, dash)) in enumerate(zip(activities, ACTIVITY_STYLES, strict=True))
    ]
    means = [mean(a.scores) for a in answers]
    lines.append(
        Line(
            label="Mean of the three",
            colour=MEAN_COLOUR,
            dash="",
            stroke=3.5,
            points=[(x, _y(float(m))) for x, m in zip(xs, means, strict=True)],
        )
    )
    if not answers:
        summary = "No answers yet."
    elif len(answers) == 1:
        summary = (
            f"One answer so far, on {answers[0].answered_on:%-d %b %Y}: "
            f"a mean of {one_decimal(means[0])} out of 10."
        )
    else:
        summary = (
            f"The mean of the three went from {one_decimal(means[0])} on "
            f"{answers[0].answered_on:%-d %b %Y} to {one_decimal(means[-1])} on "
            f"{answers[-1].answered_on:%-d %b %Y}, over {len(answers)} answers."
        )
    return OutcomeChart(
        slug="psfs",
        better="Higher is better: 10 means able to do the activity as well as before the "
        "back pain, 0 means unable to do it.",
        summary=summary,
        lines=lines,
        columns=["Date", *activities, "Mean"],
        rows=[
            [f"{a.answered_on:%-d %b %Y}", *(str(s) for s in a.scores), one_decimal(m)]
            for a, m in zip(answers, means, strict=True)
        ],
    )


def weekly_pain_chart(ratings: Sequence[WeeklyPain]) -> OutcomeChart:
    """The weekly rating of back pain on average, week by week."""
    xs = _xs(len(ratings))
    line = Line(
        label="Back pain on average over the week",
        colour=PAIN_COLOUR,
        dash="",
        stroke=2.5,
        points=[(x, _y(r.rating)) for x, r in zip(xs, ratings, strict=True)],
    )
    if not ratings:
        summary = "No weeks rated yet."
    elif len(ratings) == 1:
        first = ratings[0]
        summary = f"One week rated so far: {first.rating} in the week of {first.week_of:%-d %b %Y}."
    else:
        summary = (
            f"The rating went from {ratings[0].rating} in the week of "
            f"{ratings[0].week_of:%-d %b %Y} to {ratings[-1].rating} in the week of "
            f"{ratings[-1].week_of:%-d %b %Y}, over {len(ratings)} weeks rated."
        )
    return OutcomeChart(
        slug="weekly-pain",
        better="Lower is better: 0 means no pain, 10 the worst imaginable.",
        summary=summary,
        lines=[line],
        columns=["Week of", "Back pain on average"],
        rows=[[f"{r.week_of:%-d %b %Y}", str(r.rating)] for r in ratings],
    )

"""Server-rendered inline SVG for the pain trend: no chart library on phone pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from clients.models import StageAssignment, TrainingSession

TREND_SESSIONS = 12
WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 28, 8, 8, 24


@dataclass(frozen=True)
class TrendPoint:
    performed_on: date
    during: int
    next_day: int | None
    x: float
    y_during: float
    y_next_day: float | None

    @property
    def marker_x(self) -> float:
        return round(self.x - 3, 1)

    @property
    def marker_y(self) -> float | None:
        return round(self.y_next_day - 3, 1) if self.y_next_day is not None else None


@dataclass(frozen=True)
class Trend:
    points: list[TrendPoint]
    during_path: str
    next_day_path: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT

    @property
    def gridlines(self) -> list[tuple[int, float]]:
        return [(level, _y(level)) for level in (0, 5, 10)]

    @property
    def summary(self) -> str:
        if not self.points:
            return "No sessions logged yet."
        first, last = self.points[0], self.points[-1]
        return (
            f"Worst pain during your last {len(self.points)} sessions went from {first.during} "
            f"on {first.performed_on:%-d %b} to {last.during} on {last.performed_on:%-d %b}, "
            f"out of 10."
        )


def _y(level: int, height: int = HEIGHT) -> float:
    """The y coordinate of a 0-10 pain level in a chart of the given height."""
    return round(TOP + (10 - level) * (height - TOP - BOTTOM) / 10, 1)


def pain_trend(sessions: Sequence[TrainingSession]) -> Trend:
    """Points for the last sessions, oldest first: pain during and the next morning."""
    recent = sorted(sessions, key=lambda s: (s.performed_on, s.logged_at, s.id))[-TREND_SESSIONS:]
    span = max(len(recent) - 1, 1)
    inner = WIDTH - LEFT - RIGHT
    points = [
        TrendPoint(
            performed_on=s.performed_on,
            during=s.pain_during,
            next_day=s.next_day_pain,
            x=round(LEFT + (i * inner / span if len(recent) > 1 else inner / 2), 1),
            y_during=_y(s.pain_during),
            y_next_day=_y(s.next_day_pain) if s.next_day_pain is not None else None,
        )
        for i, s in enumerate(recent)
    ]
    during = " ".join(f"{p.x},{p.y_during}" for p in points)
    next_day = " ".join(f"{p.x},{p.y_next_day}" for p in points if p.y_next_day is not None)
    return Trend(points=points, during_path=during, next_day_path=next_day)


PROGRAM_SESSIONS = 30
PROGRAM_WIDTH, PROGRAM_HEIGHT = 640, 200
SERIES = [
    ("pain_before", "Before", "#495057", ""),
    ("pain_during", "Worst during", "#b02a37", ""),
    ("pain_after", "After", "#b35900", "2 3"),
    ("next_day_pain", "Next morning", "#0b5394", "6 4"),
]


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    dash: str
    path: str


@dataclass(frozen=True)
class StageMark:
    x: float
    label: str


@dataclass(frozen=True)
class ProgramChart:
    series: list[Series]
    marks: list[StageMark]
    rows: list[TrainingSession]
    width: int = PROGRAM_WIDTH
    height: int = PROGRAM_HEIGHT
    left: int = LEFT
    right: int = PROGRAM_WIDTH - RIGHT
    top: int = TOP
    bottom: int = PROGRAM_HEIGHT - BOTTOM

    @property
    def gridlines(self) -> list[tuple[int, float]]:
        return [(level, _y(level, PROGRAM_HEIGHT)) for level in (0, 5, 10)]

    @property
    def summary(self) -> str:
        if not self.rows:
            return "No sessions logged yet."
        worst = max(s.pain_during for s in self.rows)
        return (
            f"Pain over the last {len(self.rows)} sessions, from "
            f"{self.rows[0].performed_on:%-d %b} to {self.rows[-1].performed_on:%-d %b}: worst "
            f"pain during was {self.rows[-1].pain_during} last time and {worst} at most; "
            f"{len(self.marks)} stage change{'s' if len(self.marks) != 1 else ''} in that time."
        )


def program_chart(
    sessions: Sequence[TrainingSession], assignments: Sequence[StageAssignment]
) -> ProgramChart:
    """Before, during, after and next-morning pain, with the stage changes marked."""
    rows = sorted(sessions, key=lambda s: (s.performed_on, s.logged_at, s.id))[-PROGRAM_SESSIONS:]
    inner = PROGRAM_WIDTH - LEFT - RIGHT
    span = max(len(rows) - 1, 1)
    xs = [
        round(LEFT + (i * inner / span if len(rows) > 1 else inner / 2), 1)
        for i in range(len(rows))
    ]
    series = []
    for field, label, colour, dash in SERIES:
        points = [
            f"{x},{_y(getattr(s, field), PROGRAM_HEIGHT)}"
            for x, s in zip(xs, rows, strict=True)
            if getattr(s, field) is not None
        ]
        series.append(Series(label, colour, dash, " ".join(points)))
    marks = []
    for assignment in assignments:
        when = assignment.assigned_at
        after = [i for i, s in enumerate(rows) if s.logged_at >= when]
        if rows and after and after[0] > 0:
            i = after[0]
            marks.append(
                StageMark(
                    x=round((xs[i - 1] + xs[i]) / 2, 1),
                    label=f"Stage {assignment.stage.position}",
                )
            )
    return ProgramChart(series=series, marks=marks, rows=rows)


def sparkline_points(values: Sequence[int], width: int = 80, height: int = 24) -> str:
    """Polyline points for a tiny 0-10 pain sparkline."""
    if not values:
        return ""
    step = width / max(len(values) - 1, 1)
    return " ".join(
        f"{round(i * step, 1)},{round(height - 2 - v * (height - 4) / 10, 1)}"
        for i, v in enumerate(values)
    )

"""Server-rendered inline SVG for the pain trend: no chart library on phone pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from clients.progression import SessionFacts

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


def _y(level: int) -> float:
    return round(TOP + (10 - level) * (HEIGHT - TOP - BOTTOM) / 10, 1)


def pain_trend(sessions: Sequence[SessionFacts]) -> Trend:
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

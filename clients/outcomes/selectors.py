"""Reads for the outcome measures: a client's answers, what is due, and /me/'s prompts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, Subquery

from clients.messages.selectors import unread_messages
from clients.models import Client
from clients.outcomes import charts
from clients.outcomes.models import PsfsAnswer, WeeklyPain
from clients.outcomes.scoring import PainChange, PsfsChange, psfs_change, psfs_due_on, week_of

# What the charts show: about a year of PSFS answers and half a year of weeks, plus the
# first answer of each, which "the change since the start" is measured from.
PSFS_SHOWN_DAYS = 364
WEEKS_SHOWN = 26


@dataclass
class Outcomes:
    """A client's answers to both measures, oldest first, as of their today."""

    psfs: list[PsfsAnswer]
    weekly: list[WeeklyPain]
    today: date

    @property
    def psfs_due_on(self) -> date:
        return psfs_due_on(self.psfs[-1].answered_on if self.psfs else None, self.today)

    @property
    def psfs_due(self) -> bool:
        return self.psfs_due_on <= self.today

    @property
    def activities(self) -> list[str]:
        """The three activities, named at the first answer and asked again ever after."""
        return self.psfs[-1].activities if self.psfs else []

    @property
    def this_week(self) -> WeeklyPain | None:
        latest = self.weekly[-1] if self.weekly else None
        return latest if latest and latest.week_of == week_of(self.today) else None

    @property
    def psfs_change(self) -> PsfsChange | None:
        if len(self.psfs) < 2:
            return None
        first, latest = self.psfs[0], self.psfs[-1]
        return psfs_change(
            first_on=first.answered_on,
            first=first.scores,
            latest_on=latest.answered_on,
            latest=latest.scores,
            activities=latest.activities,
        )

    @property
    def pain_change(self) -> PainChange | None:
        if len(self.weekly) < 2:
            return None
        first, latest = self.weekly[0], self.weekly[-1]
        return PainChange(first.week_of, latest.week_of, first.rating, latest.rating)

    @property
    def psfs_chart(self) -> charts.OutcomeChart:
        return charts.psfs_chart(self.psfs)

    @property
    def pain_chart(self) -> charts.OutcomeChart:
        return charts.weekly_pain_chart(self.weekly)


def outcomes_of(client: Client) -> Outcomes:
    """Two queries, whatever the history length."""
    today = client.today()
    first_psfs = PsfsAnswer.objects.filter(client=client).order_by("answered_on", "id")
    psfs = PsfsAnswer.objects.filter(client=client).filter(
        Q(answered_on__gte=today - timedelta(days=PSFS_SHOWN_DAYS))
        | Q(pk=Subquery(first_psfs.values("pk")[:1]))
    )
    first_week = WeeklyPain.objects.filter(client=client).order_by("week_of")
    weekly = WeeklyPain.objects.filter(client=client).filter(
        Q(week_of__gte=week_of(today) - timedelta(weeks=WEEKS_SHOWN - 1))
        | Q(pk=Subquery(first_week.values("pk")[:1]))
    )
    return Outcomes(
        psfs=list(psfs.order_by("answered_on", "id")),
        weekly=list(weekly.order_by("week_of")),
        today=today,
    )


@dataclass(frozen=True)
class Prompts:
    """What /me/ asks of the client beyond today's exercise."""

    unread_messages: int
    psfs_due: bool
    psfs_first: bool
    rate_week: bool


def today_prompts(client: Client, *, consented: bool) -> Prompts:
    """Unread messages, and the outcome questions now due: one query for /me/'s budget."""
    today = client.today()
    latest_psfs = (
        PsfsAnswer.objects.filter(client=OuterRef("pk"))
        .order_by("-answered_on")
        .values("answered_on")[:1]
    )
    rated = WeeklyPain.objects.filter(client=OuterRef("pk"), week_of=week_of(today))
    unread, last_psfs, rated_this_week = (
        Client.objects.filter(pk=client.pk)
        .annotate(
            unread=unread_messages(client.user_id),
            last_psfs=Subquery(latest_psfs),
            rated=Exists(rated),
        )
        .values_list("unread", "last_psfs", "rated")
        .get()
    )
    return Prompts(
        unread_messages=unread,
        psfs_due=consented and psfs_due_on(last_psfs, today) <= today,
        psfs_first=last_psfs is None,
        rate_week=consented and not rated_this_week,
    )

"""Writes for the outcome measures: answering them, and reminding the client when due.

Answers are health data, stored only after consent. The PSFS is answered when it
is due (first, then every 4 weeks) and on the activities named the first time;
the weekly rating is one a week, which the client may change until Sunday.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from clients.models import CONSENT_VERSION, Client
from clients.outcomes.models import ACTIVITY_MAX_LENGTH, PsfsAnswer, PsfsReminder, WeeklyPain
from clients.outcomes.scoring import PSFS_EVERY_DAYS, psfs_due_on, week_of
from clients.outcomes.tasks import ask_for_psfs
from clients.services import ProgramError, require_consent


class OutcomeError(ProgramError):
    """The answer cannot be stored; the text says why, for people."""


def _local_day(moment: datetime, client: Client) -> date:
    return moment.astimezone(ZoneInfo(client.zone)).date()


def _check_scores(scores: Sequence[int], count: int) -> None:
    if len(scores) != count or any(not 0 <= s <= 10 for s in scores):
        raise OutcomeError("Each score is a whole number from 0 to 10")


@transaction.atomic
def answer_psfs(
    *,
    client: Client,
    scores: Sequence[int],
    activities: Sequence[str] | None = None,
    now: datetime | None = None,
) -> PsfsAnswer:
    """Score the three activities: named now the first time, the same ones ever after."""
    require_consent(client)
    Client.objects.select_for_update().filter(pk=client.pk).values_list("pk").get()
    now = now or timezone.now()
    today = _local_day(now, client)
    latest = PsfsAnswer.objects.filter(client=client).order_by("-answered_on", "-id").first()
    due = psfs_due_on(latest.answered_on if latest else None, today)
    if due > today:
        raise OutcomeError(f"Your next activity check is on {due:%A %-d %B}")
    _check_scores(scores, 3)
    if latest is not None:
        names = latest.activities
    else:
        names = [name.strip() for name in activities or []]
        if len(names) != 3 or not all(names):
            raise OutcomeError("Name three activities your back makes hard")
        if len({name.lower() for name in names}) < 3:
            raise OutcomeError("Name three different activities")
        if any(len(name) > ACTIVITY_MAX_LENGTH for name in names):
            raise OutcomeError(f"Keep each activity to {ACTIVITY_MAX_LENGTH} characters or fewer")
    return PsfsAnswer.objects.create(
        client=client,
        answered_at=now,
        answered_on=today,
        activity_1=names[0],
        activity_2=names[1],
        activity_3=names[2],
        score_1=scores[0],
        score_2=scores[1],
        score_3=scores[2],
    )


@transaction.atomic
def rate_week(*, client: Client, rating: int, now: datetime | None = None) -> WeeklyPain:
    """This week's rating of back pain on average over the past 7 days; a second one replaces it."""
    require_consent(client)
    _check_scores([rating], 1)
    now = now or timezone.now()
    today = _local_day(now, client)
    row, _ = WeeklyPain.objects.update_or_create(
        client=client,
        week_of=week_of(today),
        defaults={"rating": rating, "answered_at": now, "answered_on": today},
    )
    return row


@transaction.atomic
def send_psfs_reminders(*, now: datetime | None = None) -> int:
    """Email each active client whose PSFS has come due, once per due date (for `tick`).

    The first answer is asked for on /me/ only: the email reminds of the 4-weekly repeat.
    """
    now = now or timezone.now()
    latest = (
        PsfsAnswer.objects.filter(client=OuterRef("pk"))
        .order_by("-answered_on")
        .values("answered_on")[:1]
    )
    # A reminder due after the last answer is this period's: sent already.
    reminded = PsfsReminder.objects.filter(client=OuterRef("pk"), due_on__gt=OuterRef("last"))
    # A day of slack covers every zone's today; each client is then checked in their own.
    horizon = timezone.localdate(now).toordinal() + 1 - PSFS_EVERY_DAYS
    candidates = (
        Client.objects.filter(status=Client.Status.ACTIVE, consent_version=CONSENT_VERSION)
        .exclude(consented_at=None)
        .annotate(last=Subquery(latest))
        .filter(last__lte=date.fromordinal(horizon))
        .exclude(Exists(reminded))
        .only("pk", "time_zone")
    )
    sent = 0
    for client in candidates:
        due = psfs_due_on(client.last, _local_day(now, client))  # type: ignore[attr-defined]
        if due > _local_day(now, client):
            continue
        _, created = PsfsReminder.objects.get_or_create(
            client=client, due_on=due, defaults={"sent_at": now}
        )
        if created:
            transaction.on_commit(partial(ask_for_psfs.enqueue, client.pk))
            sent += 1
    return sent

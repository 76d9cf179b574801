"""Writes for reminders: the client's choices, one-tap unsubscribe, and what `tick` queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial
from zoneinfo import ZoneInfo

from django.core import signing
from django.db import transaction
from django.utils import timezone

from clients.models import Client, TrainingSession
from clients.reminders.models import ReminderSent, ReminderSettings
from clients.reminders.schedule import Plan, check_in_slot, training_slot
from clients.reminders.tasks import send_reminder

SALT = "clients.reminders.unsubscribe"


def unsubscribe_token(client_id: int) -> str:
    """A link's proof of whose reminders to stop: signed, no login, never expires."""
    return signing.dumps(client_id, salt=SALT)


def client_of_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


@transaction.atomic
def save_reminders(
    *,
    client: Client,
    training_days: list[int],
    training_time: time | None,
    check_in_time: time | None,
) -> ReminderSettings:
    """The client's choices; choosing again turns reminders back on after an unsubscribe."""
    chosen, _ = ReminderSettings.objects.select_for_update().get_or_create(client=client)
    chosen.training_days = "".join(str(d) for d in sorted(set(training_days)))
    chosen.training_time = training_time
    chosen.check_in_time = check_in_time
    chosen.unsubscribed_at = None
    chosen.updated_at = timezone.now()
    chosen.save()
    return chosen


@transaction.atomic
def unsubscribe(*, client_id: int) -> bool:
    """Stop every reminder email of a client (the one-tap link); True if they had any."""
    return bool(
        ReminderSettings.objects.filter(client_id=client_id, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )
    )


@dataclass
class ReminderReport:
    training: int = 0
    check_ins: int = 0

    def __str__(self) -> str:
        return f"reminders: {self.training} training and {self.check_ins} check-in reminders queued"


@transaction.atomic
def queue_due_reminders(now: datetime | None = None) -> ReminderReport:
    """What is due now, claimed once per client, kind and day, then queued. Run by `tick`.

    Five queries whatever the number of clients. A training reminder is not sent once the
    client has logged that day, a check-in reminder once they have checked in; the unique
    claim row means a second run (or two at once) never queues a slot twice.
    """
    now = now or timezone.now()
    candidates: list[tuple[int, str, date]] = []
    check_ins: list[tuple[int, date]] = []
    chosen = (
        ReminderSettings.objects.filter(
            unsubscribed_at__isnull=True, client__status=Client.Status.ACTIVE
        )
        .exclude(training_days="", check_in_time__isnull=True)
        .select_related("client")
        .only(
            "training_days",
            "training_time",
            "check_in_time",
            "client__time_zone",
            "client__last_session_on",
        )
    )
    for row in chosen:
        client = row.client
        local = now.astimezone(ZoneInfo(client.zone))
        plan = Plan(row.weekdays, row.training_time, row.check_in_time)
        day = training_slot(plan, local)
        last = client.last_session_on
        if day is not None and not (last is not None and last >= day):
            candidates.append((client.pk, ReminderSent.Kind.TRAIN, day))
        day = check_in_slot(plan, local)
        if day is not None:
            check_ins.append((client.pk, day))
    if check_ins:
        waiting = set(
            TrainingSession.objects.filter(
                client_id__in={c for c, _ in check_ins},
                performed_on__in={d for _, d in check_ins},
                next_day_pain__isnull=True,
            ).values_list("client_id", "performed_on")
        )
        candidates += [
            (c, ReminderSent.Kind.CHECK_IN, d) for c, d in check_ins if (c, d) in waiting
        ]
    if not candidates:
        return ReminderReport()
    claimed = set(
        ReminderSent.objects.filter(
            client_id__in={c for c, _, _ in candidates}, slot__in={d for _, _, d in candidates}
        ).values_list("client_id", "kind", "slot")
    )
    fresh = [c for c in candidates if c not in claimed]
    ReminderSent.objects.bulk_create(
        [ReminderSent(client_id=c, kind=k, slot=d, queued_at=now) for c, k, d in fresh],
        ignore_conflicts=True,
    )
    # The rows this run created carry its own timestamp: a run at the same moment lost the race.
    mine = list(
        ReminderSent.objects.filter(
            queued_at=now, client_id__in={c for c, _, _ in fresh}
        ).values_list("pk", "kind")
    )
    for pk, _ in mine:
        transaction.on_commit(partial(send_reminder.enqueue, pk))
    return ReminderReport(
        training=sum(k == ReminderSent.Kind.TRAIN for _, k in mine),
        check_ins=sum(k == ReminderSent.Kind.CHECK_IN for _, k in mine),
    )

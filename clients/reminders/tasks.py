"""The reminder email. Its argument is a claim row's id; the email has no health data."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clients.models import TrainingSession
from clients.reminders.models import ReminderSent, ReminderSettings


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def still_due(sent: ReminderSent) -> str:
    """'' if the reminder should go now, or why not: things change between tick and worker."""
    client = sent.client
    chosen = ReminderSettings.objects.filter(client=client).first()
    if chosen is None or chosen.unsubscribed_at is not None:
        return "unsubscribed"
    if sent.kind == ReminderSent.Kind.TRAIN:
        last = client.last_session_on
        return "logged" if last is not None and last >= sent.slot else ""
    waiting = TrainingSession.objects.filter(
        client=client, performed_on=sent.slot, next_day_pain__isnull=True
    ).exists()
    return "" if waiting else "checked in"


@task
def send_reminder(sent_id: int) -> None:
    """Send one claimed reminder, with a one-tap unsubscribe (RFC 8058)."""
    from clients.reminders.services import unsubscribe_token

    sent = ReminderSent.objects.select_related("client__user").filter(pk=sent_id).first()
    if sent is None or sent.sent_at is not None:
        return
    reason = still_due(sent)
    if reason:
        ReminderSent.objects.filter(pk=sent.pk).update(skipped=reason)
        return
    client = sent.client
    stop = _link(reverse("clients:unsubscribe")) + "?t=" + unsubscribe_token(client.pk)
    train = sent.kind == ReminderSent.Kind.TRAIN
    context = {
        "name": client.user.first_name or client.name,
        "link": _link(reverse("clients:log_session" if train else "clients:today")),
        "unsubscribe": stop,
        "settings_link": _link(reverse("clients:settings_page")),
        "studio": settings.STUDIO_NAME,
    }
    message = EmailMessage(
        subject="Time for today's session" if train else "How is your back? One tap to check in",
        body=render_to_string(
            f"clients/reminders/emails/{'train' if train else 'check_in'}.txt", context
        ),
        to=[client.user.email],
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    ReminderSent.objects.filter(pk=sent.pk).update(sent_at=timezone.now())

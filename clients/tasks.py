"""Background work for client records: alerting the coach to a flare-up."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse

from clients.models import Client


def absolute_url(path: str) -> str:
    """A link for an email: background tasks have no request to build one from."""
    return settings.SITE_URL.rstrip("/") + path


@task
def alert_coach_of_flare(client_id: int, reasons: list[str]) -> None:
    client = Client.objects.select_related("user", "coach").get(pk=client_id)
    link = absolute_url(reverse("coaching:client_detail", kwargs={"client_id": client.pk}))
    lines = "\n".join(f"- {reason[:1].upper()}{reason[1:]}" for reason in reasons)
    send_mail(
        subject=f"Flare-up: {client.name}",
        message=(
            f"{client.name} is flaring up.\n\n{lines}\n\n"
            f"Open their program to review and regress if needed:\n{link}\n"
        ),
        from_email=None,
        recipient_list=[client.coach.email],
    )

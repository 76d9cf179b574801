"""Emails about the outcome measures: a link to answer, never a score or an activity."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse

from clients.models import Client
from clients.tasks import absolute_url


@task
def ask_for_psfs(client_id: int) -> None:
    """Four weeks on: ask the client to score their three activities again."""
    client = Client.objects.select_related("user").filter(pk=client_id).first()
    if client is None:
        return  # erased in the meantime
    send_mail(
        subject=f"Four weeks on: how are your three activities? ({settings.STUDIO_NAME})",
        message=(
            f"Hello {client.user.first_name or client.name},\n\n"
            "It is time to score the three activities your back made hard again: it takes "
            "a minute, and shows you and your coach what has changed.\n"
            f"{absolute_url(reverse('clients:outcomes'))}\n"
        ),
        from_email=None,
        recipient_list=[client.user.email],
    )

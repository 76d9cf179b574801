"""Background work for accounts: the invitation email."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string

from clients.tasks import absolute_url
from coaching.accounts.models import Invitation


@task
def send_invitation_email(invitation_id: int, link_path: str) -> None:
    invitation = Invitation.objects.select_related("user", "created_by").get(pk=invitation_id)
    context = {
        "name": invitation.user.first_name or invitation.user.email,
        "coach": invitation.created_by.display_name,
        "link": absolute_url(link_path),
        "expires_at": invitation.expires_at,
        "studio_name": settings.STUDIO_NAME,
    }
    send_mail(
        subject=f"{context['coach']} has invited you to {settings.STUDIO_NAME}",
        message=render_to_string("coaching/accounts/emails/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.user.email],
    )

"""Emails about the message thread: a link to it, never the message itself.

Task arguments are ids only. The email says who wrote to whom, never what.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse

from clients.models import Client
from clients.tasks import absolute_url


@task
def tell_of_new_message(client_id: int, *, recipient_id: int) -> None:
    """A message waits in a client's thread: tell the recipient where, unless they have read it."""
    from clients.messages.selectors import unread_count

    client = Client.objects.select_related("user").filter(pk=client_id).first()
    recipient = get_user_model().objects.filter(pk=recipient_id).first()
    if client is None or recipient is None:
        return  # erased in the meantime
    if not unread_count(client=client, reader=recipient):
        return  # already read in the app: no email needed
    if recipient.pk == client.user_id:
        subject = f"A new message from your coach at {settings.STUDIO_NAME}"
        link = absolute_url(reverse("clients:message_thread"))
        greeting = f"Hello {client.user.first_name or client.name},"
        what = "Your coach has sent you a message in the app."
    else:
        subject = f"New message from {client.name}"
        link = absolute_url(reverse("coaching:client_messages", kwargs={"client_id": client.pk}))
        greeting = "Hello,"
        what = f"There is a new message in your thread with {client.name}."
    send_mail(
        subject=subject,
        message=f"{greeting}\n\n{what} Read it and reply here:\n{link}\n",
        from_email=None,
        recipient_list=[recipient.email],
    )

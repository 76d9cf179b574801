"""Inviting clients: a one-time, expiring link to set a password and give consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from clients.services import create_client, record_consent
from coaching.accounts.models import Invitation, User
from coaching.accounts.selectors import InviteError, find_invitation
from coaching.accounts.tasks import send_invitation_email
from coaching.accounts.tokens import hash_token, new_token
from exercises.models import Stage

INVITE_DAYS = 7
BACKEND = "coaching.accounts.backends.EmailBackend"


@dataclass
class SentInvite:
    invitation: Invitation
    link_path: str


def _issue(*, user: User, by: User) -> SentInvite:
    now = timezone.now()
    # A fresh link replaces any earlier one that is still open.
    Invitation.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    token = new_token()
    invitation = Invitation.objects.create(
        user=user,
        created_by=by,
        expires_at=now + timedelta(days=INVITE_DAYS),
        token_hash=hash_token(token),
    )
    path = reverse("accept_invite", kwargs={"token": token})
    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation.pk, path))
    return SentInvite(invitation, path)


@transaction.atomic
def invite_client(
    *,
    coach: User,
    first_name: str,
    last_name: str,
    email: str,
    stage: Stage,
    notes: str = "",
    reason: str = "Starting stage",
) -> Client:
    """Create the client's account (no password yet), start them on a stage, email a link."""
    user = User.objects.create_user(
        email=email, password=None, first_name=first_name, last_name=last_name
    )
    client = create_client(
        user=user, coach=coach, stage=stage, by=coach, reason=reason, notes=notes
    )
    _issue(user=user, by=coach)
    return client


@transaction.atomic
def resend_invite(*, client: Client, by: User) -> SentInvite:
    if client.user.has_usable_password():
        raise InviteError(f"{client.name} has already set a password and can log in.")
    return _issue(user=client.user, by=by)


@transaction.atomic
def accept_invite(*, request: HttpRequest, token: str, password: str) -> User:
    """Set the password, record consent, mark the link used and log the client in."""
    invitation = find_invitation(token)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.used_at is not None:
        raise InviteError("This invitation has already been used.")
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    client: Any = getattr(user, "client_profile", None)
    if client is not None:
        record_consent(client=client)
    login(request, user, backend=BACKEND)
    return user

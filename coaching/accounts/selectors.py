"""Reads for accounts: finding an invitation by its link."""

from __future__ import annotations

from django.utils import timezone

from coaching.accounts.models import Invitation
from coaching.accounts.tokens import hash_token


class InviteError(Exception):
    """The link cannot be used; the message says why, in plain words."""


class InviteNotFound(InviteError):
    """No invitation has this token: a mistyped link, or a guess."""


def find_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("user__client_profile")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InviteNotFound("This invitation link is not valid. Check you copied all of it.")
    if invitation.used_at is not None:
        raise InviteError(
            "This invitation has already been used. Log in with the password you chose, "
            "or reset it if you have forgotten it."
        )
    if invitation.expires_at <= timezone.now():
        raise InviteError("This invitation has expired. Ask your coach to send you a new link.")
    return invitation

"""A booking's private links (manage, hold, outcome): derived from a per-booking salt and
the server's secret key, stored only as hashes; and the paths they open.

A random token stored only as its hash (accounts.tokens) cannot be written
into an email later: the server no longer knows it. These links must be, in
every reminder and when a visitor asks for their link again, so each one is
an HMAC of the booking's random salt under SECRET_KEY (the way Django's own
password reset links are made). A copy of the database alone still opens
nothing: it holds the salt and the link's hash, not the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings
from django.urls import reverse

from coaching.accounts.tokens import hash_token, new_token
from coaching.assessments.models import Assessment

MANAGE = "manage"
OUTCOME = "outcome"


def manage_path(token: str) -> str:
    return reverse("coaching:manage_assessment", kwargs={"token": token})


def hold_path(token: str) -> str:
    return reverse("coaching:confirm_hold", kwargs={"token": token})


def outcome_path(token: str) -> str:
    return reverse("coaching:assessment_outcome_page", kwargs={"token": token})


def new_salt() -> str:
    return new_token()


def derive_token(salt: str, purpose: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"assessment-{purpose}:{salt}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def link_token(assessment: Assessment, purpose: str) -> str | None:
    """The booking's token for `purpose`, or None for a booking made before links were derived."""
    if not assessment.link_salt:
        return None
    return derive_token(assessment.link_salt, purpose)


def issue_links(assessment: Assessment) -> str:
    """Give a new booking its salt and manage-link hash; returns the manage token."""
    assessment.link_salt = new_salt()
    token = derive_token(assessment.link_salt, MANAGE)
    assessment.manage_token_hash = hash_token(token)
    return token


def issue_outcome_link(assessment: Assessment) -> str:
    """Set the outcome link's hash (a salt first, for a booking from before salts)."""
    if not assessment.link_salt:
        assessment.link_salt = new_salt()
    token = derive_token(assessment.link_salt, OUTCOME)
    assessment.outcome_token_hash = hash_token(token)
    return token

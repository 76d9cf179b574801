"""Secret links (invitations, booking manage links): random tokens, stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    """A 256-bit random token for a link."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What the database keeps of a token: a leaked table cannot be used to open a link."""
    return hashlib.sha256(token.encode()).hexdigest()

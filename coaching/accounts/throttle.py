"""Rate limits: the rules, and the client address they are keyed on (pure: no ORM).

Why not django-axes. Axes is the usual answer for login lockouts, and it was
the first choice here. Its handlers check the stored failure count first
(`is_locked`, a read), then let Django check the password, and only record the
failure afterwards, from the `user_login_failed` signal. That is check-then-act:
50 requests that arrive together all read "4 failures so far" before any of
them writes, so all 50 passwords get checked. Axes' maintainers know this and
will not change it (jazzband/django-axes issue 592, labelled "known issue, wont
fix"). Axes also keeps the user agent and the raw GET and POST data of each
failure, which is more personal data to erase, and it covers only logins, not
booking, password reset or secret links.

So every limit here spends its attempt first, in one atomic statement on a
database row (`INSERT ... ON CONFLICT DO UPDATE SET hits = hits + 1 RETURNING
hits`, which PostgreSQL and SQLite both run atomically), and only then checks
the password or the token. An attempt that turns out to be legitimate (the
right password, a real link) gives its slot back. The counter rows live in the
shared database, so every web process sees the same count; no cache or new
server is involved (Django's database cache is not atomic).

Counters are keyed on an HMAC of the scope and its parts (the client address,
the email typed), never on the values themselves, so the table holds no
addresses or emails in the clear.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

UNKNOWN_ADDRESS = "unknown"


@dataclass(frozen=True)
class Limit:
    """At most `max_hits` attempts per key in a window that starts at the first attempt."""

    scope: str
    max_hits: int
    window: timedelta

    @property
    def minutes(self) -> int:
        return max(1, round(self.window.total_seconds() / 60))


# Logins: 5 failures for one account from one address, then a 15-minute pause for
# that pair (so a stranger cannot lock a client out from elsewhere); 20 failures
# from one address across any accounts stop password spraying.
LOGIN_ACCOUNT = Limit("login-account", 5, timedelta(minutes=15))
LOGIN_ADDRESS = Limit("login-address", 20, timedelta(minutes=15))
# Password reset emails: per address, and per address typed (no inbox flooding).
PASSWORD_RESET_ADDRESS = Limit("reset-address", 5, timedelta(hours=1))
PASSWORD_RESET_ACCOUNT = Limit("reset-account", 3, timedelta(hours=1))
# Bookings that pass the form's checks.
BOOKING = Limit("booking", 10, timedelta(hours=1))
# Wrong secret links: a booking's manage link, an invitation.
MANAGE_LINK = Limit("manage-link", 10, timedelta(hours=1))
INVITE_LINK = Limit("invite-link", 10, timedelta(hours=1))


def allowed(hits: int, limit: Limit) -> bool:
    """`hits` counts this attempt too: the limit's last allowed attempt is hit number max_hits."""
    return hits <= limit.max_hits


def counter_key(secret: str, scope: str, parts: Sequence[str]) -> str:
    """A keyed hash of what a counter counts: the same input, the same row; no value readable."""
    message = "\x00".join([scope, *parts]).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def account_key(secret: str, email: str) -> str:
    """The hash that ties counters to one email address, so erasure can find them."""
    return counter_key(secret, "account", [normalise_email(email)])


def normalise_email(email: str) -> str:
    return email.strip().lower()


def meta_key(header: str) -> str:
    """The WSGI name of an HTTP header: X-Forwarded-For is HTTP_X_FORWARDED_FOR."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(meta: Mapping[str, Any], *, header: str = "", proxies: int = 0) -> str:
    """The address of the person making the request.

    Behind trusted proxies, each one appends the address it was talked to from to
    `header` (X-Forwarded-For style), so the client is the entry `proxies` places
    from the right; anything further left was written by the client and is not
    believed. With no header configured (or a malformed one), REMOTE_ADDR.
    """
    remote = _valid(str(meta.get("REMOTE_ADDR", ""))) or UNKNOWN_ADDRESS
    if not header or proxies < 1:
        return remote
    raw = meta.get(meta_key(header))
    if not isinstance(raw, str):
        return remote
    hops = [hop.strip() for hop in raw.split(",")]
    if len(hops) < proxies:
        return remote
    return _valid(hops[-proxies]) or remote

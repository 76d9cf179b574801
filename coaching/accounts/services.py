"""Accounts' writes: inviting clients (a one-time, expiring link to set a password and give
consent), and spending attempts against the rate limits of accounts.throttle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import login
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from clients.program.services import create_client
from clients.services import record_consent
from coaching.accounts.models import Invitation, ThrottleCounter, User
from coaching.accounts.selectors import InviteError, find_invitation
from coaching.accounts.tasks import send_invitation_email
from coaching.accounts.throttle import (
    BOOKING,
    INVITE_LINK,
    LOGIN_ACCOUNT,
    LOGIN_ADDRESS,
    MANAGE_LINK,
    PASSWORD_RESET_ACCOUNT,
    PASSWORD_RESET_ADDRESS,
    Limit,
    account_key,
    allowed,
    client_address,
    counter_key,
    normalise_email,
)
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
    client: Client | None = getattr(user, "client_profile", None)
    if client is not None:
        record_consent(client=client)
    login(request, user, backend=BACKEND)
    return user


# --- Rate limits --------------------------------------------------------------------------


@dataclass(frozen=True)
class Spent:
    """One attempt counted against a limit; `allowed` says whether it may go ahead."""

    limit: Limit
    key_hash: str
    hits: int

    @property
    def allowed(self) -> bool:
        return allowed(self.hits, self.limit)


@dataclass(frozen=True)
class Attempt:
    """Attempts spent together (an account's and an address's): allowed only if all are."""

    spent: tuple[Spent, ...]

    @property
    def allowed(self) -> bool:
        return all(s.allowed for s in self.spent)

    @property
    def minutes(self) -> int:
        """How long to wait, at most, before trying again."""
        return max((s.limit.minutes for s in self.spent if not s.allowed), default=0)


def throttling_on() -> bool:
    """Limits are on unless a test turns them off (settings.THROTTLE_ENABLED = False)."""
    return settings.THROTTLE_ENABLED


def request_address(request: HttpRequest | None) -> str:
    """The client's address: from the trusted proxy header when one is configured."""
    return client_address(
        request.META if request is not None else {},
        header=settings.TRUSTED_PROXY_HEADER,
        proxies=settings.TRUSTED_PROXY_COUNT,
    )


_UPSERT = """
INSERT INTO {table} (scope, key_hash, account_hash, hits, window_ends)
VALUES (%s, %s, %s, 1, %s)
ON CONFLICT (scope, key_hash) DO UPDATE SET
    hits = CASE WHEN {table}.window_ends <= %s THEN 1 ELSE {table}.hits + 1 END,
    window_ends = CASE
        WHEN {table}.window_ends <= %s THEN excluded.window_ends ELSE {table}.window_ends
    END
RETURNING hits
"""


def spend_attempt(
    *, limit: Limit, parts: Sequence[str], account: str = "", now: datetime | None = None
) -> Spent:
    """Count one attempt, atomically, and return the count including it.

    One statement inserts the counter or adds one to it (starting a fresh window
    once the old one has ended), and returns the new count: simultaneous callers,
    in any process, each get a different number, so exactly `max_hits` of them are
    allowed. Views call it outside any transaction, so the count is committed at
    once, whatever happens next.
    """
    key = counter_key(settings.SECRET_KEY, limit.scope, parts)
    if not throttling_on():
        return Spent(limit, key, 0)
    now = now or timezone.now()
    ops = connection.ops
    fresh_end = ops.adapt_datetimefield_value(now + limit.window)
    at = ops.adapt_datetimefield_value(now)
    sql = _UPSERT.format(table=ops.quote_name(ThrottleCounter._meta.db_table))
    account_hash = account_key(settings.SECRET_KEY, account) if account else ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [limit.scope, key, account_hash, fresh_end, at, at])
        hits = int(cursor.fetchone()[0])
    if hits == 1:
        # A new window: a good moment to drop counters whose windows have ended.
        purge_ended_counters(now=now)
    return Spent(limit, key, hits)


@transaction.atomic
def purge_ended_counters(*, now: datetime | None = None, batch: int = 500) -> int:
    """Delete counters whose window has ended; rows another request holds are left for later.

    SKIP LOCKED (on PostgreSQL; SQLite runs one writer at a time anyway) means the
    purge never waits for a lock, so it cannot deadlock with a request counting.
    """
    ended = ThrottleCounter.objects.filter(window_ends__lt=now or timezone.now())
    ids = list(ended.select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch])
    deleted, _ = ThrottleCounter.objects.filter(pk__in=ids).delete()
    return deleted


def give_back(spent: Spent | Attempt) -> None:
    """Return attempts that turned out legitimate (the right password, a real link)."""
    for one in spent.spent if isinstance(spent, Attempt) else (spent,):
        if one.hits:
            ThrottleCounter.objects.filter(
                scope=one.limit.scope, key_hash=one.key_hash, hits__gt=0
            ).update(hits=F("hits") - 1)


def spend_login_attempt(*, request: HttpRequest | None, username: str) -> Attempt:
    """Count a login before its password is checked: per account and address, and per address.

    The email typed is counted whether or not an account uses it, so the answer
    never tells whether an account exists.
    """
    address = request_address(request)
    email = normalise_email(username)
    return Attempt(
        (
            spend_attempt(limit=LOGIN_ACCOUNT, parts=[email, address], account=email),
            spend_attempt(limit=LOGIN_ADDRESS, parts=[address]),
        )
    )


def spend_password_reset(*, request: HttpRequest, email: str) -> Attempt:
    """Count a reset request whose form was valid: per address, and per address typed."""
    address = request_address(request)
    email = normalise_email(email)
    return Attempt(
        (
            spend_attempt(limit=PASSWORD_RESET_ADDRESS, parts=[address]),
            spend_attempt(limit=PASSWORD_RESET_ACCOUNT, parts=[email], account=email),
        )
    )


def spend_booking(*, request: HttpRequest) -> Attempt:
    """Count a booking whose form was valid, from this address."""
    return Attempt((spend_attempt(limit=BOOKING, parts=[request_address(request)]),))


def spend_link_guess(*, request: HttpRequest, kind: str) -> Attempt:
    """Count a visit to a secret link (kind "manage" or "invite") before it is looked up.

    The caller gives the attempt back when the link is real, so only wrong tokens
    use up the address's budget.
    """
    limit = {"manage": MANAGE_LINK, "invite": INVITE_LINK}[kind]
    return Attempt((spend_attempt(limit=limit, parts=[request_address(request)]),))


def forget_account_counters(*, email: str) -> int:
    """Delete the login and reset counters tied to an email address (for erasure)."""
    deleted, _ = ThrottleCounter.objects.filter(
        account_hash=account_key(settings.SECRET_KEY, email)
    ).delete()
    return deleted

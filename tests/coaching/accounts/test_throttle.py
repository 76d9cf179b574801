"""Rate limits: logins, password resets, secret links; counted per trusted client address."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone

from clients.models import Client
from coaching.accounts.services import (
    forget_account_counters,
    resend_invite,
    spend_attempt,
    spend_login_attempt,
)
from coaching.accounts.throttle import Limit, client_address
from coaching.models import ThrottleCounter, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PAUSED = "logging in is paused"


def log_in(http: HttpClient, email: str, password: str) -> Any:
    return http.post("/accounts/login/", {"username": email, "password": password})


# --- The client's address ---------------------------------------------------------------


def test_the_address_is_remote_addr_when_no_proxy_is_trusted() -> None:
    """A client-sent X-Forwarded-For means nothing without a configured proxy."""
    meta = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert client_address(meta) == "203.0.113.9"
    assert client_address(meta, header="X-Forwarded-For", proxies=0) == "203.0.113.9"


def test_behind_trusted_proxies_the_address_is_counted_from_the_right() -> None:
    """Each proxy appends one entry; what the client wrote further left is not believed."""
    meta = {
        "REMOTE_ADDR": "10.0.0.2",
        "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.7, 10.0.0.1",
    }
    assert client_address(meta, header="X-Forwarded-For", proxies=1) == "10.0.0.1"
    assert client_address(meta, header="X-Forwarded-For", proxies=2) == "198.51.100.7"
    real_ip = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_REAL_IP": "2001:db8::1"}
    assert client_address(real_ip, header="X-Real-IP", proxies=1) == "2001:db8::1"


@pytest.mark.parametrize(
    "forwarded", [None, "", "not-an-address", "1.2.3.4.5", "²³.1.1.1", "1.1.1.1, , "]
)
def test_a_missing_or_malformed_header_falls_back_to_remote_addr(forwarded: str | None) -> None:
    meta = {"REMOTE_ADDR": "10.0.0.2"}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(meta, header="X-Forwarded-For", proxies=1) == "10.0.0.2"
    assert client_address({}, header="X-Forwarded-For", proxies=1) == "unknown"


# --- The counter ------------------------------------------------------------------------


def test_a_counter_counts_within_its_window_and_starts_again_after_it() -> None:
    """Hits add up until the window ends; the next hit opens a fresh window at 1."""
    limit = Limit("test", 2, timedelta(minutes=10))
    now = timezone.now()
    hits = [spend_attempt(limit=limit, parts=["a"], now=now).hits for _ in range(3)]
    assert hits == [1, 2, 3]
    assert spend_attempt(limit=limit, parts=["b"], now=now).hits == 1
    later = spend_attempt(limit=limit, parts=["a"], now=now + timedelta(minutes=11))
    assert (later.hits, later.allowed) == (1, True)
    # The stale counter for "b" was purged when "a" opened its new window.
    assert ThrottleCounter.objects.count() == 1


def test_counters_keep_no_address_or_email_in_the_clear(coach_a: User) -> None:
    """Rows hold keyed hashes; erasure finds an account's rows by its email all the same."""
    http = HttpClient(REMOTE_ADDR="203.0.113.50")
    log_in(http, coach_a.email, "wrong")
    rows = list(ThrottleCounter.objects.values_list("key_hash", "account_hash"))
    assert rows and all(
        "203.0.113.50" not in value and "coach" not in value for row in rows for value in row
    )
    assert forget_account_counters(email=coach_a.email.upper()) == 1
    assert ThrottleCounter.objects.filter(scope="login-address").count() == 1


def test_turned_off_for_a_test_nothing_is_counted(settings: Any) -> None:
    settings.THROTTLE_ENABLED = False
    attempt = spend_login_attempt(request=None, username="x@example.com")
    assert attempt.allowed and not ThrottleCounter.objects.exists()


# --- Logins -----------------------------------------------------------------------------


def test_five_failures_pause_logins_for_that_account_even_with_the_right_password(
    coach_a: User,
) -> None:
    """The 6th attempt is refused before the password is checked: 429 and a clear message."""
    http = HttpClient(REMOTE_ADDR="203.0.113.1")
    for _ in range(5):
        response = log_in(http, coach_a.email, "wrong")
        assert response.status_code == 200 and PAUSED not in response.content.decode()
    refused = log_in(http, coach_a.email, PASSWORD)
    assert refused.status_code == 429
    body = refused.content.decode()
    assert PAUSED in body and "15 minutes" in body and "There is a problem" in body
    assert "_auth_user_id" not in http.session
    # Another account from the same address still logs in.
    other = User.objects.create_user(email="other@example.com", password=PASSWORD)
    assert log_in(http, other.email, PASSWORD).status_code == 302


def test_the_pause_reads_the_same_whether_or_not_the_account_exists(coach_a: User) -> None:
    """No account enumeration: the same statuses and the same words for a stranger's email."""

    def failures(email: str, address: str) -> list[tuple[int, str]]:
        http = HttpClient(REMOTE_ADDR=address)
        results = []
        for _ in range(6):
            response = log_in(http, email, "wrong")
            errors = response.context["form"].non_field_errors()
            results.append((response.status_code, " ".join(errors)))
        return results

    assert failures(coach_a.email, "203.0.113.2") == failures("nobody@example.com", "203.0.113.3")


def test_a_successful_login_gives_its_attempt_back(coach_a: User) -> None:
    """Four failures, a success, four more failures: never paused (only failures count)."""
    http = HttpClient(REMOTE_ADDR="203.0.113.4")
    for _ in range(4):
        log_in(http, coach_a.email, "wrong")
    assert log_in(http, coach_a.email, PASSWORD).status_code == 302
    http.post("/accounts/logout/")
    assert log_in(http, coach_a.email, "wrong").status_code == 200
    assert log_in(http, coach_a.email, "wrong").status_code == 429


def test_an_empty_login_form_is_not_an_attempt(coach_a: User) -> None:
    http = HttpClient(REMOTE_ADDR="203.0.113.5")
    for _ in range(8):
        assert http.post("/accounts/login/", {"username": coach_a.email}).status_code == 200
    assert not ThrottleCounter.objects.exists()


def test_many_accounts_from_one_address_are_paused_too(db: None) -> None:
    """Password spraying: 20 failures across any accounts pause the address."""
    http = HttpClient(REMOTE_ADDR="203.0.113.6")
    statuses = [log_in(http, f"guess{i}@example.com", "wrong").status_code for i in range(21)]
    assert statuses == [200] * 20 + [429]


def test_the_admin_login_is_throttled_by_the_same_rule(studio_admin: User) -> None:
    http = HttpClient(REMOTE_ADDR="203.0.113.7")
    data = {"username": studio_admin.email, "password": "wrong", "next": "/admin/"}
    for _ in range(5):
        http.post("/admin/login/", data)
    refused = http.post("/admin/login/", {**data, "password": PASSWORD})
    assert PAUSED in refused.content.decode()
    assert "_auth_user_id" not in http.session


def test_behind_the_proxy_two_visitors_have_separate_budgets(settings: Any, coach_a: User) -> None:
    """Same REMOTE_ADDR (the proxy), different trusted header: two budgets."""
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_COUNT = 1
    first = HttpClient(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = HttpClient(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    for _ in range(5):
        log_in(first, coach_a.email, "wrong")
    assert log_in(first, coach_a.email, PASSWORD).status_code == 429
    assert log_in(second, coach_a.email, PASSWORD).status_code == 302


def test_without_a_configured_proxy_a_spoofed_header_buys_no_new_budget(
    settings: Any, coach_a: User
) -> None:
    """A client that changes X-Forwarded-For on every try is still one address."""
    settings.TRUSTED_PROXY_HEADER = ""
    settings.TRUSTED_PROXY_COUNT = 0
    for i in range(5):
        spoof = HttpClient(REMOTE_ADDR="203.0.113.8", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        log_in(spoof, coach_a.email, "wrong")
    fresh = HttpClient(REMOTE_ADDR="203.0.113.8", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert log_in(fresh, coach_a.email, PASSWORD).status_code == 429


# --- Password reset ---------------------------------------------------------------------


def test_reset_field_errors_spend_nothing_and_valid_requests_are_limited(db: None) -> None:
    """Mistyped addresses cost nothing; the 6th valid request in an hour gets 429."""
    http = HttpClient(REMOTE_ADDR="203.0.113.10")
    for _ in range(8):
        assert http.post("/accounts/password_reset/", {"email": "not an email"}).status_code == 200
    statuses = [
        http.post("/accounts/password_reset/", {"email": f"p{i}@example.com"}).status_code
        for i in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    refused = http.post("/accounts/password_reset/", {"email": "p9@example.com"})
    assert "Too many password reset requests" in refused.content.decode()


def test_one_address_typed_gets_at_most_three_reset_emails_an_hour(coach_a: User) -> None:
    """Nobody can flood a person's inbox, from one connection or several."""
    for i in range(4):
        HttpClient(REMOTE_ADDR=f"203.0.113.{20 + i}").post(
            "/accounts/password_reset/", {"email": coach_a.email}
        )
    assert len(mail.outbox) == 3


# --- Secret links -----------------------------------------------------------------------


def test_wrong_invitation_tokens_are_limited_and_real_ones_cost_nothing(
    client_a: Client, coach_a: User
) -> None:
    client_a.user.set_unusable_password()
    client_a.user.save()
    link = resend_invite(client=client_a, by=coach_a).link_path
    http = HttpClient(REMOTE_ADDR="203.0.113.30")
    for _ in range(15):
        assert http.get(link).status_code == 200
    statuses = [http.get(f"/accounts/invite/guess-{i}/").status_code for i in range(11)]
    assert statuses == [410] * 10 + [429]
    refused = http.get(link)
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert "Too many tries" in refused.content.decode()

"""No page with personal data may be stored by a browser or a shared cache.

The walk takes every URL pattern from the root resolver (so a page added later
is walked too), turns each into a concrete URL with real ids and tokens from
the fixtures, and requests it as a coach, a client and a studio admin: GET, and
POST where the view takes only POST. Every response, redirects and 4xx
included, must say `Cache-Control: no-store, private` and `Vary: Cookie`. A
pattern the walk cannot turn into a URL fails the test: teach `value_for` its
parameter.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient

from tests.walk import Cast, concrete_url, leaves

pytestmark = pytest.mark.django_db


def assert_private(response: Any, where: str) -> None:
    control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= control, f"{where}: Cache-Control {control}"
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",")}
    assert "cookie" in vary, f"{where}: Vary {vary}"


def test_every_url_is_private_for_every_logged_in_role(cast: Cast) -> None:
    endpoints = list(leaves())
    roles = {"coach": cast.coach, "client": cast.client.user, "admin": cast.admin}
    checked: list[tuple[str, str, str, int]] = []
    for role, user in roles.items():
        for leaf in endpoints:
            url = concrete_url(leaf, cast, user)
            http = HttpClient(REMOTE_ADDR="192.0.2.10")
            http.raise_request_exception = False
            http.force_login(user)
            response = http.get(url)
            assert_private(response, f"{role} GET {url}")
            checked.append((role, "GET", url, response.status_code))
            if response.status_code == 405:
                response = http.post(url, {})
                assert_private(response, f"{role} POST {url}")
                checked.append((role, "POST", url, response.status_code))
    crashed = [c for c in checked if c[3] >= 500]
    assert not crashed, crashed
    print(f"\nno-store walk: {len(endpoints)} URL patterns, {len(checked)} responses, 3 roles")
    assert len(endpoints) >= 40


def test_the_booking_manage_page_is_private_for_anonymous_visitors(cast: Cast) -> None:
    """The private link is never stored: its page, its redirects and a wrong token's 404."""
    http = HttpClient(REMOTE_ADDR="192.0.2.11")
    page = f"/assessment/manage/{cast.manage_token}/"
    for response in [
        http.get(page),
        http.get(page + "?booked=1"),
        http.post(page, {"action": "nonsense"}),
        http.get("/assessment/manage/not-a-real-token/"),
    ]:
        assert_private(response, page)


def test_public_pages_stay_cacheable_for_anonymous_visitors(db: None) -> None:
    http = HttpClient()
    for url in ["/", "/exercises/", "/assessment/", "/privacy/"]:
        response = http.get(url)
        assert "no-store" not in response.get("Cache-Control", ""), url


def test_logging_in_and_out_are_private(cast: Cast) -> None:
    """The login's redirect sets the session; the logout's answers a session: neither stored."""
    http = HttpClient()
    logged_in = http.post(
        "/accounts/login/", {"username": cast.coach.email, "password": "correct-horse-battery"}
    )
    assert logged_in.status_code == 302
    assert_private(logged_in, "login")
    assert_private(http.post("/accounts/logout/"), "logout")

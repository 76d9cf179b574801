from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_landing_page_offers_the_free_assessment(client: Client) -> None:
    """/ presents the free 30-minute live online assessment, its four answers and a CTA."""
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Free 30-minute live online movement assessment" in body
    for point in [
        "Why you might be in pain",
        "Which movements are restricted",
        "stay away from",
        "to become pain-free",
    ]:
        assert point in body
    assert 'href="/assessment/"' in body


def test_pages_carry_landmarks_a_skip_link_and_deferred_scripts(client: Client) -> None:
    """Every page has a skip link to <main>, a labelled nav, and no render-blocking script."""
    body = client.get("/").content.decode()
    assert 'href="#main"' in body and '<main id="main"' in body
    assert '<nav class="container' in body and 'aria-label="Main"' in body
    head = body.split("</head>")[0]
    for script in head.split("<script")[1:]:
        assert " defer" in script.split(">")[0]


def test_healthz_answers_200_when_the_database_answers(client: Client) -> None:
    """Monitoring gets a tiny JSON body."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not(client: Client) -> None:
    """A database that does not answer turns the health check red."""
    with mock.patch("coaching.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_an_unhandled_error_shows_the_friendly_500_page(client: Client) -> None:
    """A crash answers with our own 500 page."""
    client.raise_request_exception = False
    with mock.patch("coaching.views.Stage.objects.in_order", side_effect=RuntimeError("boom")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()


def test_responses_carry_a_content_security_policy(client: Client) -> None:
    """Scripts run only from our origin, with a nonce."""
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy

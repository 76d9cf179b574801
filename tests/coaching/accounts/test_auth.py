import re

import pytest
from django.core import mail
from django.test import Client

from coaching.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_coach_logs_in_by_email_and_lands_on_the_dashboard(client: Client, coach_a: User) -> None:
    """Login takes an email address, in any letter case, and sends a coach to /coach/."""
    response = client.post(
        "/accounts/login/", {"username": "Coach.A@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/coach/"


def test_a_studio_admin_lands_on_the_admin(client: Client, studio_admin: User) -> None:
    """A superuser who is not a coach goes to the Django admin."""
    response = client.post(
        "/accounts/login/", {"username": studio_admin.email, "password": PASSWORD}
    )
    assert response["Location"] == "/admin/"


def test_a_safe_next_parameter_wins_over_the_role_home(client: Client, coach_a: User) -> None:
    """After being sent to login from a page, the user goes back to that page."""
    response = client.post(
        "/accounts/login/?next=/exercises/",
        {"username": coach_a.email, "password": PASSWORD, "next": "/exercises/"},
    )
    assert response["Location"] == "/exercises/"


def test_a_wrong_password_is_explained_and_the_email_kept(client: Client, coach_a: User) -> None:
    """Bad credentials re-render the form with an error summary and the email still filled in."""
    response = client.post("/accounts/login/", {"username": coach_a.email, "password": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: Log in" in body
    assert "There is a problem" in body
    assert f'value="{coach_a.email}"' in body


def test_an_empty_login_form_points_at_each_field(client: Client, db: None) -> None:
    """Missing fields each get a message linked from the summary."""
    body = client.post("/accounts/login/", {}).content.decode()
    assert 'href="#id_username"' in body and 'href="#id_password"' in body


def test_anonymous_visitors_are_sent_to_login_from_coach_pages(client: Client) -> None:
    """An anonymous visit to /coach/ redirects to login, remembering where they were going."""
    response = client.get("/coach/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/coach/"


def test_a_logged_in_non_coach_gets_a_friendly_403(client: Client, plain_user: User) -> None:
    """The wrong role answers 403 with our page, not Django's bare one."""
    client.force_login(plain_user)
    response = client.get("/coach/")
    assert response.status_code == 403
    assert "this page is not for you" in response.content.decode()


def test_a_coach_cannot_use_client_pages(client: Client, coach_a: User) -> None:
    """/me/ is for clients: a coach gets 403."""
    client.force_login(coach_a)
    assert client.get("/me/").status_code == 403


def test_the_dashboard_renders_for_a_coach(client: Client, coach_a: User) -> None:
    """A coach sees the dashboard page."""
    client.force_login(coach_a)
    response = client.get("/coach/")
    assert response.status_code == 200
    assert "Your clients" in response.content.decode()


def test_logout_is_a_post_and_returns_home(client: Client, coach_a: User) -> None:
    """Logging out ends the session and goes back to the landing page."""
    client.force_login(coach_a)
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/"
    assert client.get("/coach/").status_code == 302


def test_password_reset_emails_a_working_one_time_link(client: Client, coach_a: User) -> None:
    """The reset email carries a link that sets a new password, and the new password works."""
    response = client.post("/accounts/password_reset/", {"email": "COACH.A@example.com"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coach_a.email]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body)
    assert link is not None
    set_password_page = client.get(link.group(1), follow=True)
    form_url = set_password_page.redirect_chain[-1][0]
    new_password = "a-brand-new-pass-42"
    done = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert done["Location"] == "/accounts/reset/done/"
    coach_a.refresh_from_db()
    assert coach_a.check_password(new_password)
    assert client.get(link.group(1), follow=True).context["validlink"] is False


def test_password_reset_for_an_unknown_email_reveals_nothing(client: Client, db: None) -> None:
    """An unknown address sees the same page and no email is sent."""
    response = client.post("/accounts/password_reset/", {"email": "stranger@example.com"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_a_user_can_change_their_password(client: Client, coach_a: User) -> None:
    """The password change form checks the old password and saves the new one."""
    client.force_login(coach_a)
    bad = client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": "x-Y-z-12345", "new_password2": "x-Y-z-12345"},
    )
    assert "There is a problem" in bad.content.decode()
    good = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "x-Y-z-12345", "new_password2": "x-Y-z-12345"},
    )
    assert good["Location"] == "/accounts/password_change/done/"


def test_emails_are_unique_whatever_their_case(db: None, coach_a: User) -> None:
    """Two accounts cannot share an address that differs only in letter case."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="COACH.A@EXAMPLE.COM")

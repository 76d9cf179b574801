"""The URL walk shared by the privacy and fuzz tests: every endpoint, made concrete.

`leaves` lists every pattern under the root URLconf; `concrete_url` fills in real
ids and tokens from a `Cast` (the fixture of that name in tests/conftest.py builds
one); a parameter it does not know fails the test that asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.regex_helper import normalize

from clients.models import Client
from coaching.accounts.services import resend_invite
from coaching.assessments.selectors import available_slots
from coaching.assessments.services import book_assessment
from coaching.models import AvailabilityWindow, TimeOff, User
from exercises.models import Exercise
from tests.factories import make_coach, make_session


@dataclass(frozen=True)
class Leaf:
    regex: str
    name: str  # namespaced, "" for an unnamed pattern


def leaves(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[Leaf]:
    """Every endpoint under the root URLconf, with its full regex and namespaced name."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        regex = pattern.pattern.regex.pattern.removeprefix("^")
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from leaves(pattern.url_patterns, prefix + regex, inner)
        else:
            yield Leaf(prefix + regex, f"{namespace}{pattern.name}" if pattern.name else "")


@dataclass
class Cast:
    coach: User
    client: Client
    admin: User
    session_id: int
    assessment_id: int
    manage_token: str
    invite_token: str


def build_cast(coach_a: User, client_a: Client, studio_admin: User) -> Cast:
    """A coach (the head coach), their client with a session, an admin, a booking, an invite."""
    coach_profile = coach_a.coach_profile
    coach_profile.is_head_coach = True
    coach_profile.save()
    session = make_session(client_a, days_ago=1)
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(coach=coach_profile, weekday=d, starts_at=time(9), ends_at=time(17))
        for d in range(7)
    )
    slot = available_slots()[0]
    TimeOff.objects.create(
        coach=coach_profile,
        starts_at=slot.end + timedelta(days=3),
        ends_at=slot.end + timedelta(days=4),
    )
    intake = {
        "name": "Vera",
        "email": "vera@example.com",
        "where_it_hurts": "Back",
        "how_long": "Weeks",
    }
    booked = book_assessment(
        coach_id=slot.coach_id, start=slot.start, intake=intake, visitor_time_zone="Europe/London"
    )
    coach_b = make_coach("coach.b@example.com")
    invited = Client.objects.get(pk=client_a.pk)
    invited.user.set_unusable_password()
    invited.user.save()
    invite = resend_invite(client=invited, by=coach_b)
    invited.user.set_password("correct-horse-battery")
    invited.user.save()
    Group.objects.create(name="Front desk")
    return Cast(
        coach=coach_a,
        client=client_a,
        admin=studio_admin,
        session_id=session.pk,
        assessment_id=booked.assessment.pk,
        manage_token=booked.token,
        invite_token=invite.link_path.rstrip("/").rsplit("/", 1)[-1],
    )


def admin_object_id(leaf: Leaf) -> str | None:
    """The first row's id for an admin object URL (named like admin:clients_client_change,
    or the unnamed admin/clients/client/<id>/ redirect)."""
    for model in apps.get_models():
        meta = model._meta
        if leaf.name.startswith(f"admin:{meta.app_label}_{meta.model_name}_") or (
            not leaf.name and leaf.regex.startswith(f"admin/{meta.app_label}/{meta.model_name}/")
        ):
            row = model._default_manager.order_by("pk").first()
            return str(row.pk) if row is not None else "999999"
    return None


def value_for(leaf: Leaf, param: str, cast: Cast, user: User) -> str | None:
    """A real value for one URL parameter, or None if the walk does not know it yet."""
    by_name: dict[tuple[str, str], str] = {
        ("coaching:manage_assessment", "token"): cast.manage_token,
        ("coaching:assessment_ics", "token"): cast.manage_token,
        ("coaching:confirm_hold", "token"): cast.manage_token,
        ("coaching:assessment_outcome_page", "token"): "no-such-outcome",
        ("coaching:calendar_feed", "token"): "no-such-feed",
        ("coaching:contact_request_done", "request_id"): "999999",
        ("coaching:export_client", "kind"): "json",
        ("accept_invite", "token"): cast.invite_token,
        ("password_reset_confirm", "token"): default_token_generator.make_token(user),
        ("password_reset_confirm", "uidb64"): urlsafe_base64_encode(force_bytes(user.pk)),
        ("admin:view_on_site", "content_type_id"): str(ContentType.objects.get_for_model(User).pk),
        ("admin:view_on_site", "object_id"): str(cast.coach.pk),
        ("admin:app_list", "app_label"): "clients",
        # UserAdmin names its password page after auth's User, whatever the user model.
        ("admin:auth_user_password_change", "id"): str(cast.coach.pk),
        ("", "url"): "no-such-page/",
    }
    if (leaf.name, param) in by_name:
        return by_name[(leaf.name, param)]
    by_param = {
        "client_id": str(cast.client.pk),
        "session_id": str(cast.session_id),
        "assessment_id": str(cast.assessment_id),
        "slug": Exercise.objects.order_by("pk").values_list("slug", flat=True).first() or "",
    }
    if param in by_param:
        return by_param[param]
    if param in {"object_id", "id"}:
        return admin_object_id(leaf)
    return None


def concrete_url(leaf: Leaf, cast: Cast, user: User) -> str:
    """The leaf's URL with real values; fails the test when a parameter has none."""
    for template, params in normalize(leaf.regex):
        values = {p: value_for(leaf, p, cast, user) for p in params}
        missing = [p for p, v in values.items() if v is None]
        if missing:
            pytest.fail(
                f"The no-store walk cannot build a URL for {leaf.name or leaf.regex}: "
                f"teach value_for the parameter(s) {missing}."
            )
        url = "/" + template % values
        match = resolve(url.split("?")[0])
        assert match.view_name == leaf.name or not leaf.name, (url, match.view_name)
        return url
    pytest.fail(f"No URL form for {leaf.regex}")

"""The fixed cast: coach A and B, client A (coach A's) and client B (coach B's), an admin."""

from __future__ import annotations

import importlib
import os
import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from clients.models import Client
from coaching.models import User
from tests.factories import make_client, make_coach, make_user


def pytest_configure(config: pytest.Config) -> None:
    """`TEST_CLOCK=02:30 make test` runs the whole suite with the clock set to that time of
    the studio's day (today's date; `TEST_CLOCK="2027-03-28 00:30"` for a given day), ticking,
    so a test that only passes at some hours is found on any machine. CI's SQLite pass runs
    in the small hours, before check-ins open."""
    wanted = os.environ.get("TEST_CLOCK", "")
    if not wanted:
        return
    match = re.fullmatch(r"(\d{4}-\d\d-\d\d )?([01]\d|2[0-3]):([0-5]\d)", wanted)
    if not match:
        raise pytest.UsageError(f"TEST_CLOCK={wanted!r}: give HH:MM or YYYY-MM-DD HH:MM.")
    zone = ZoneInfo(os.environ.get("TIME_ZONE", "Europe/London"))
    day = date.fromisoformat(match[1].strip()) if match[1] else datetime.now(zone).date()
    target = datetime.combine(day, time(int(match[2]), int(match[3])), tzinfo=zone)
    traveller = time_machine.travel(target, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def coach_a(db: None) -> User:
    return make_coach("coach.a@example.com", first_name="Alex")


@pytest.fixture
def coach_b(db: None) -> User:
    return make_coach("coach.b@example.com", first_name="Blair")


@pytest.fixture
def studio_admin(db: None) -> User:
    return make_user("admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def plain_user(db: None) -> User:
    """Logged in but neither coach nor client."""
    return make_user("nobody@example.com")


@pytest.fixture
def client_a(coach_a: User) -> Client:
    """Coach A's client, on stage 3 (glute bridge)."""
    return make_client("client.a@example.com", coach=coach_a, position=3, first_name="Ava")


@pytest.fixture
def client_b(coach_b: User) -> Client:
    """Coach B's client, on stage 5 (kettlebell deadlift, loaded)."""
    return make_client("client.b@example.com", coach=coach_b, position=5, first_name="Ben")


@pytest.fixture
def seeded_transactional_db(transactional_db: None) -> None:
    """A transactional database with the exercise library in place.

    Transactional tests flush every table afterwards, and Playwright's greenlet
    gets its own connection object, so serialized rollback cannot restore the
    data migration's rows; re-running the (idempotent) seed does.
    """
    from django.apps import apps

    seed = importlib.import_module("exercises.migrations.0002_seed_hip_hinge").seed
    seed(apps, None)


@pytest.fixture
def cast(coach_a: User, client_a: Client, studio_admin: User) -> Any:
    """The URL walk's cast (tests/walk.py): the head coach, their client, an admin, a
    booking with its private link, an invitation."""
    from tests.walk import build_cast

    return build_cast(coach_a, client_a, studio_admin)

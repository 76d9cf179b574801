"""The fixed cast every test can use: coach A, coach B and a studio admin."""

from __future__ import annotations

import pytest

from coaching.models import User
from tests.factories import make_coach, make_user


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

"""Small make_* helpers for tests: explicit, no magic."""

from __future__ import annotations

from typing import Any

from coaching.models import Coach, User

PASSWORD = "correct-horse-battery"


def make_user(email: str, *, first_name: str = "", last_name: str = "", **extra: Any) -> User:
    return User.objects.create_user(
        email=email, password=PASSWORD, first_name=first_name, last_name=last_name, **extra
    )


def make_coach(email: str, *, first_name: str = "Coach", head: bool = False) -> User:
    user = make_user(email, first_name=first_name, last_name="Example")
    Coach.objects.create(user=user, is_head_coach=head)
    return user

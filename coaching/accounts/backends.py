from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from coaching.accounts.models import User


class EmailBackend(ModelBackend):
    """Django's model backend, loading role profiles (and a client's assessment) in one query."""

    def get_user(self, user_id: Any) -> User | None:
        user = (
            User.objects.select_related(
                "coach_profile", "client_profile", "client_profile__assessment"
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

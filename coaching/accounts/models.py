"""Who logs in: the user model (email login), the coach role and client invitations."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who logs in: a coach, a client or a studio admin. Logs in by email."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_coach(self) -> bool:
        return hasattr(self, "coach_profile")

    @property
    def is_client(self) -> bool:
        return hasattr(self, "client_profile")


class Coach(models.Model):
    """The coach role: a user who runs assessments and manages client programs."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="coach_profile")
    bio = models.TextField(blank=True)
    is_head_coach = models.BooleanField(
        default=False, help_text="Sees every coach's clients and can reassign them."
    )
    time_zone = models.CharField(
        max_length=64, default="Europe/London", help_text="Availability is in this zone."
    )
    video_link = models.URLField(blank=True, help_text="Video-call link for online sessions.")

    class Meta:
        ordering = ["user__first_name", "user__last_name"]

    def __str__(self) -> str:
        return self.user.display_name


class Invitation(models.Model):
    """A one-time, expiring link that lets a new client set a password.

    Only a hash of the token is stored, so a leaked database cannot be used to
    accept invitations.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.user.email}"


class ThrottleCounter(models.Model):
    """How many attempts one key (a scope and a hashed address or account) made in its window.

    Updated only by one atomic upsert (accounts.services.spend_attempt), so
    simultaneous requests in any number of processes each see a distinct count.
    """

    scope = models.CharField(max_length=32)
    key_hash = models.CharField(max_length=64)
    # The hashed email a login or reset counter belongs to, so erasure can delete it.
    account_hash = models.CharField(max_length=64, blank=True, db_index=True)
    hits = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key_hash"], name="throttle_one_row_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {self.hits} until {self.window_ends:%Y-%m-%d %H:%M}"

"""The audit trail's table is django-auditlog's; this proxy is how the app reads and erases it.

The proxy's queryset refuses updates and deletes: the trail is append-only, and
erasing a person (coaching.privacy) is the one exception, through `erase()`.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry, LogEntryManager
from django.db import models


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("The audit trail is append-only: entries are never updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit trail is append-only: entries are never deleted.")

    def erase(self) -> tuple[int, dict[str, int]]:
        """The one exception: erasing a person removes the entries that name them."""
        return super().delete()


class AuditManager(LogEntryManager.from_queryset(AuditQuerySet)):  # type: ignore[misc]  # auditlog is untyped
    pass


class AuditEntry(LogEntry):  # type: ignore[misc]  # auditlog is untyped
    """One view or change of a record: who, when, what (`additional_data` names the client)."""

    objects = AuditManager()

    class Meta:
        proxy = True
        verbose_name = "audit entry"
        verbose_name_plural = "audit trail"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The audit trail is append-only: entries are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit trail is append-only: entries are never deleted.")

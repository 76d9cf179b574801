"""Reading the audit trail of one client."""

from __future__ import annotations

from clients.audit.models import AuditEntry, AuditQuerySet
from clients.models import Client

TRAIL_ROWS = 50


def trail_for(client: Client) -> AuditQuerySet:
    """Every entry about the client's record or the records that belong to it."""
    return AuditEntry.objects.filter(additional_data__client_id=client.pk)  # type: ignore[no-any-return]


def recent_trail(client: Client) -> list[AuditEntry]:
    """The latest entries, with who acted, for the head coach's view of the record."""
    return list(trail_for(client).select_related("actor", "content_type")[:TRAIL_ROWS])

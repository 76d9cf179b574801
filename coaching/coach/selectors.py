"""Reads for the coach's pages: one client by permission, the dashboard's rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from clients.models import Client
from clients.progression import Status
from clients.selectors import ClientSummary, summarize_clients
from coaching.accounts.models import User

STATUS_ORDER = {Status.FLARE: 0, Status.READY: 1, Status.HOLD: 2}


def access_client(user: User, client_id: int) -> Client:
    """The client, if this coach may see them; 404 otherwise (no hint that they exist)."""
    client = (
        Client.objects.for_coach(user)
        .select_related("user", "coach", "progression")
        .filter(pk=client_id)
        .first()
    )
    if client is None:
        raise Http404("No such client.")
    return client


@dataclass
class Dashboard:
    """The rows a dashboard shows, in order, and how many clients each filter holds."""

    rows: list[ClientSummary]
    counts: dict[str, int]


def dashboard(user: User, *, show: str, q: str, sort: str) -> Dashboard:
    """The coach's active clients matching a search, filtered by status and sorted."""
    clients = Client.objects.for_coach(user).filter(status=Client.Status.ACTIVE)
    for word in q.split():
        clients = clients.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    summaries = summarize_clients(clients)
    statuses = Counter(row.status for row in summaries)
    counts = {
        "all": len(summaries),
        "ready": statuses[Status.READY],
        "flare": statuses[Status.FLARE],
        "hold": statuses[Status.HOLD],
        "quiet": sum(row.is_quiet for row in summaries),
    }
    if show == "quiet":
        rows = [r for r in summaries if r.is_quiet]
    elif show in {Status.READY, Status.FLARE, Status.HOLD}:
        rows = [r for r in summaries if r.status == show]
    else:
        rows = summaries
    if sort == "activity":
        rows.sort(key=lambda r: (r.last_session_on is None, r.days_quiet or 0, r.client.name))
    else:
        rows.sort(key=lambda r: (STATUS_ORDER[r.status], r.client.name))
    return Dashboard(rows=rows, counts=counts)

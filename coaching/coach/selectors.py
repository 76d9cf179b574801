"""Reads for the coach's pages: one client by permission, the dashboard's rows.

The dashboard reads each client's stored gate state and filters, sorts and
counts in the database, so 2,000 clients cost what 20 cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OrderBy,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from clients.charts import sparkline_points
from clients.messages.selectors import unread_messages
from clients.models import Client, TrainingSession
from clients.progression import Status
from clients.selectors import Gate, gate_of
from coaching.accounts.models import User
from exercises.models import Stage

QUIET_DAYS = 7
SPARKLINE_SESSIONS = 10
FILTERS = {
    "ready": Q(gate_status=Status.READY),
    "flare": Q(gate_status=Status.FLARE),
    "hold": Q(gate_status=Status.HOLD),
    "attention": Q(needs_attention=True),
}


def access_client(user: User, client_id: int) -> Client:
    """The client, if this coach may see them; 404 otherwise (no hint that they exist)."""
    client = (
        Client.objects.for_coach(user)
        .select_related("user", "coach", "progression", "stage__exercise", "assessment_summary")
        .filter(pk=client_id)
        .first()
    )
    if client is None:
        raise Http404("No such client.")
    return client


def _quiet(today: date) -> Q:
    return Q(last_session_on__isnull=True) | Q(
        last_session_on__lte=today - timedelta(days=QUIET_DAYS)
    )


@dataclass
class Dashboard:
    """A coach's clients as the filters and search leave them, and how many in each group."""

    clients: QuerySet[Client]
    counts: dict[str, int]
    today: date


def dashboard(user: User, *, show: str, q: str, sort: str) -> Dashboard:
    """The coach's active clients matching a search, filtered by status and sorted: lazily."""
    today = timezone.localdate()
    clients = Client.objects.for_coach(user).filter(status=Client.Status.ACTIVE)
    for word in q.split():
        clients = clients.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    counts = clients.aggregate(
        all=Count("pk"),
        **{name: Count("pk", filter=condition) for name, condition in FILTERS.items()},
        quiet=Count("pk", filter=_quiet(today)),
    )
    if show == "quiet":
        clients = clients.filter(_quiet(today))
    elif show in FILTERS:
        clients = clients.filter(FILTERS[show])
    order: list[str | OrderBy | Case]
    if sort == "activity":
        order = [F("last_session_on").desc(nulls_last=True), "user__first_name", "user__last_name"]
    else:
        order = [
            Case(
                When(gate_status=Status.FLARE, then=Value(0)),
                When(gate_status=Status.READY, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            "user__first_name",
            "user__last_name",
        ]
    stage_count = (
        Stage.objects.filter(progression=OuterRef("progression"))
        .values("progression")
        .annotate(n=Count("pk"))
        .values("n")
    )
    clients = (
        clients.select_related("user", "stage__exercise")
        .annotate(
            stage_count=Subquery(stage_count, output_field=IntegerField()),
            # Per reader: the head coach's unread count is their own, not the coach's.
            unread_messages=unread_messages(user),
        )
        .order_by(*order, "pk")
    )
    return Dashboard(clients=clients, counts=counts, today=today)


@dataclass
class Row:
    """One dashboard row: where a client stands and how active they are."""

    client: Client
    gate: Gate
    recent_pain: list[int]
    today: date

    @property
    def days_quiet(self) -> int | None:
        last = self.client.last_session_on
        return None if last is None else (self.today - last).days

    @property
    def is_quiet(self) -> bool:
        quiet = self.days_quiet
        return quiet is None or quiet >= QUIET_DAYS

    @property
    def sparkline(self) -> str:
        return sparkline_points(self.recent_pain)


def rows(clients: list[Client], today: date) -> list[Row]:
    """The page's rows with each client's recent worst pain, in one more query."""
    pain: dict[int, list[tuple[date, int, int]]] = {}
    for client_id, day, session_id, during in TrainingSession.objects.latest_per_client(
        [c.pk for c in clients], SPARKLINE_SESSIONS
    ).values_list("client_id", "performed_on", "id", "pain_during"):
        pain.setdefault(client_id, []).append((day, session_id, during))
    return [
        Row(
            client=client,
            gate=gate_of(client),
            recent_pain=[during for *_, during in sorted(pain.get(client.pk, []))],
            today=today,
        )
        for client in clients
    ]

"""Two writes for one client at the same moment take turns: no lost step, no double save."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from clients import gate
from clients.models import Client, StageAssignment, TrainingSession
from clients.program.services import advance_stage, regress_stage
from clients.services import Logged, ProgramError, log_session
from coaching.models import User
from tests.factories import make_session


def race(workers: list[Callable[[], Any]]) -> list[Any]:
    """Run the callables at the same instant in real threads; return results or errors."""
    barrier = threading.Barrier(len(workers))
    results: list[Any] = [None] * len(workers)

    def run(i: int, work: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = work()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    # The threads queue for the pool's connections as requests queue for web processes;
    # what is tested is the database's guarantee, not how fast a loaded machine serves 50.
    pool = getattr(connection, "pool", None)
    if pool is not None:
        patience, pool.timeout = pool.timeout, 60
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
    finally:
        if pool is not None:
            pool.timeout = patience
    return results


@pytest.mark.usefixtures("seeded_transactional_db")
@pytest.mark.parametrize("moves", [(advance_stage, advance_stage), (advance_stage, regress_stage)])
def test_simultaneous_stage_moves_apply_one_after_the_other(
    coach_a: User, coach_b: User, client_a: Client, moves: tuple[Callable[..., Any], ...]
) -> None:
    """Each move reads the stage the other left: history stays a chain, with no lost step."""
    for days in (5, 3, 1):
        make_session(client_a, days_ago=days)
    coaches = [coach_a, coach_b]
    results = race(
        [
            lambda move=move, coach=coach: move(client=client_a, by=coach, reason="race")
            for move, coach in zip(moves, coaches, strict=True)
        ]
    )
    rows = list(StageAssignment.objects.filter(client=client_a).order_by("assigned_at", "id"))
    for earlier, later in zip(rows, rows[1:], strict=False):
        assert later.from_stage_id == earlier.stage_id, "a move was based on a stale stage"
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, ProgramError) for e in errors), errors
    if moves == (advance_stage, advance_stage):
        # Only one advance: after it the client is on a new stage with no green days.
        assert len(rows) == 2 and len(errors) == 1
        assert "Not ready to progress" in str(errors[0])
    else:
        # Either the advance lands first and the regress follows (3 rows), or the regress
        # lands first and the advance is refused because stage 2 has no greens yet.
        assert (len(rows), len(errors)) in {(3, 0), (2, 1)}
        if errors:
            assert rows[-1].kind == "regress" and "Not ready to progress" in str(errors[0])
    assert connection.vendor in {"postgresql", "sqlite"}
    assert not gate.refresh_by_id(client_a.pk, dry_run=True).changed, "stored state is stale"


@pytest.mark.usefixtures("seeded_transactional_db")
def test_the_same_form_token_sent_twice_at_once_saves_one_session(client_a: Client) -> None:
    """A double tap racing itself: the second write waits for the first and answers with it."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks that make writers wait need PostgreSQL")
    key = uuid.uuid4()
    values = {
        "performed_on": client_a.today(),
        "sets": 3,
        "reps": 12,
        "pain_before": 1,
        "pain_during": 1,
        "pain_after": 1,
        "felt_hips": True,
        "lower_back_hurt": False,
    }
    results = race([lambda: log_session(client=client_a, values=values, idempotency_key=key)] * 2)
    assert all(isinstance(r, Logged) for r in results), results
    assert sorted(r.repeated for r in results) == [False, True]
    assert len({r.session.pk for r in results}) == 1
    assert TrainingSession.objects.filter(client=client_a).count() == 1
    client_a.refresh_from_db()
    assert client_a.last_session_on == client_a.today()
    assert not gate.refresh_by_id(client_a.pk, dry_run=True).changed

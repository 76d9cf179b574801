"""The pain gate's invariants over random histories, which provably reach every outcome.

Each property runs hypothesis from inside a plain test and then asserts that
its examples met READY, HOLD and FLARE (and every light): a property that
never meets its case tests nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from statistics import median

from hypothesis import event, given, settings
from hypothesis import strategies as st

from clients.progression import (
    SEVERITY,
    Evaluation,
    Light,
    Session,
    Status,
    Suggestion,
    decide_all,
    evaluate,
)
from tests.clients.test_progression import (
    HINGE,
    NOW,
    STAGE,
    TODAY,
    Thresholds,
    check_ins,
    s,
)

PAIN = st.sampled_from([0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 4, 5, 6, 8])
EXAMPLES = 300


@st.composite
def noisy(draw: st.DrawFn) -> tuple[list[Session], date]:
    """A client's recent weeks: some training days, mostly gentle, a few hard, some unanswered."""
    days = draw(st.lists(st.integers(0, 20), max_size=10, unique=True))
    sessions = []
    for days_ago in days:
        before = draw(PAIN)
        answered = draw(st.sampled_from([True] * 4 + [False]))
        morning = draw(PAIN) if days_ago and answered else None
        for _ in range(draw(st.sampled_from([1, 1, 1, 2]))):
            sessions.append(
                s(
                    days_ago,
                    draw(PAIN),
                    before=before,
                    after=draw(PAIN),
                    morning=morning,
                    hurt=draw(st.sampled_from([False] * 9 + [True])),
                    stage=draw(st.sampled_from([STAGE] * 9 + [STAGE - 1])),
                    logged_days_late=draw(st.sampled_from([0] * 19 + [3])),
                )
            )
    entered = TODAY - timedelta(days=draw(st.integers(0, 25)))
    return sessions, entered


@st.composite
def calm(draw: st.DrawFn) -> tuple[list[Session], date]:
    """A steady run of gentle days at the current stage, then perhaps one more of any kind."""
    usual = draw(st.integers(0, 3))
    start = draw(st.integers(1, 16))
    count = draw(st.integers(1, 6))
    sessions = [
        s(days_ago, draw(st.integers(0, max(2, usual))), before=usual, after=usual, morning=usual)
        for days_ago in range(start, start + 2 * count, 2)
    ]
    extra, _ = draw(st.one_of(st.just(([], TODAY)), noisy()))
    return sessions + [x for x in extra if x.day < TODAY - timedelta(days=start + 2 * count)], (
        TODAY - timedelta(days=30)
    )


histories = st.one_of(calm(), noisy())


def run(sessions: list[Session], entered: date) -> Evaluation:
    return evaluate(
        stage_id=STAGE,
        entered_on=entered,
        sessions=sessions,
        check_ins=check_ins(sessions),
        thresholds={STAGE: Thresholds(), STAGE - 1: Thresholds()},
        today=TODAY,
        now=NOW,
        current_exercise="Glute bridge",
        next_stage=HINGE,
        technique_signed_off=False,
    )


def reaching_every_status(check: Callable[[list[Session], date, Evaluation], None]) -> Counter[str]:
    """Run a property over random histories; return the statuses and lights its examples met."""
    seen: Counter[str] = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True)
    @given(histories)
    def property_holds(history: tuple[list[Session], date]) -> None:
        sessions, entered = history
        evaluation = run(sessions, entered)
        event(f"status: {evaluation.status}")
        seen[evaluation.status] += 1
        for decision in evaluation.decisions.values():
            seen[decision.light] += 1
        check(sessions, entered, evaluation)

    property_holds()
    missing = {*Status, *Light} - set(seen)
    assert not missing, f"the generator never reached {missing}: {dict(seen)}"
    return seen


def counted_days(
    sessions: list[Session], entered: date, evaluation: Evaluation
) -> dict[date, Light]:
    days: dict[date, list[Light]] = {}
    for session in sessions:
        if session.stage_id == STAGE and session.day >= entered:
            days.setdefault(session.day, []).append(evaluation.decisions[session.id].light)
    return {
        day: Light.PENDING
        if Light.PENDING in lights
        else max(lights, key=lambda light: SEVERITY[light])
        for day, lights in days.items()
    }


def creep(sessions: list[Session]) -> float | None:
    values = [(x.day, x.pain_before) for x in sessions]
    values += [(c.answered_on, c.pain) for c in check_ins(sessions)]
    last = [v for d, v in values if TODAY - timedelta(days=6) <= d <= TODAY]
    before = [v for d, v in values if TODAY - timedelta(days=13) <= d < TODAY - timedelta(days=6)]
    if len(last) < 2 or len(before) < 2:
        return None
    return float(median(last)) - float(median(before))


def test_ready_means_n_fresh_green_days_and_nothing_waiting() -> None:
    """READY only with the last 3 decided days green, the latest within 14 days, none pending."""

    def check(sessions: list[Session], entered: date, evaluation: Evaluation) -> None:
        if evaluation.status is not Status.READY:
            return
        days = counted_days(sessions, entered, evaluation)
        decided = sorted(
            (d for d, light in days.items() if light is not Light.PENDING), reverse=True
        )
        assert len(decided) >= 3
        assert all(days[d] is Light.GREEN for d in decided[:3])
        assert decided[0] >= TODAY - timedelta(days=13)
        assert Light.PENDING not in days.values()
        rise = creep(sessions)
        assert rise is None or rise <= 0

    reaching_every_status(check)


def test_flare_means_an_open_red_or_pain_creeping_up_by_2() -> None:
    """FLARE exactly when a red known since entering has no green day after it, or creep >= 2."""

    def check(sessions: list[Session], entered: date, evaluation: Evaluation) -> None:
        days = counted_days(sessions, entered, evaluation)
        greens = [d for d, light in days.items() if light is Light.GREEN]
        open_red = any(
            decision.light is Light.RED
            and decision.red_known_on is not None
            and decision.red_known_on >= entered
            and not any(g > decision.red_known_on for g in greens)
            for decision in evaluation.decisions.values()
        )
        rise = creep(sessions)
        assert (evaluation.status is Status.FLARE) == (open_red or (rise is not None and rise >= 2))
        if evaluation.status is Status.FLARE:
            assert evaluation.suggestion in {Suggestion.CUT, Suggestion.REGRESS}

    reaching_every_status(check)


def test_every_status_has_a_reason_and_every_session_a_light() -> None:
    def check(sessions: list[Session], entered: date, evaluation: Evaluation) -> None:
        assert evaluation.reasons
        assert set(evaluation.decisions) == {x.id for x in sessions}
        for session in sessions:
            decision = evaluation.decisions[session.id]
            if decision.light is Light.RED:
                assert decision.red_known_on is not None
            if session.pain_during > 5 or session.pain_after > 5:
                assert decision.light is Light.RED

    reaching_every_status(check)


def test_the_order_sessions_arrive_in_does_not_matter() -> None:
    def check(sessions: list[Session], entered: date, evaluation: Evaluation) -> None:
        shuffled = list(sessions)
        random.Random(len(sessions)).shuffle(shuffled)
        again = run(shuffled, entered)
        assert (again.status, again.reasons, again.green_days, again.suggestion) == (
            evaluation.status,
            evaluation.reasons,
            evaluation.green_days,
            evaluation.suggestion,
        )

    reaching_every_status(check)


def test_a_red_logged_today_always_flares() -> None:
    """Whatever came before, pain above the ceiling today is a FLARE: red wins."""

    def check(sessions: list[Session], entered: date, evaluation: Evaluation) -> None:
        flared = run([*sessions, s(0, 9, morning=None)], min(entered, TODAY))
        assert flared.status is Status.FLARE

    reaching_every_status(check)


def test_stored_lights_are_never_recoloured() -> None:
    """Deciding again, with each stored light given, changes no light and no status."""

    def check(sessions: list[Session], entered: date, evaluation: Evaluation) -> None:
        from dataclasses import replace

        stored = [
            replace(
                x,
                light=evaluation.decisions[x.id].light,
                reasons=evaluation.decisions[x.id].reasons,
                red_known_on=evaluation.decisions[x.id].red_known_on,
            )
            if evaluation.decisions[x.id].decided
            else x
            for x in sessions
        ]
        again = run(stored, entered)
        assert again.status is evaluation.status
        assert {k: d.light for k, d in again.decisions.items()} == {
            k: d.light for k, d in evaluation.decisions.items()
        }
        lower = decide_all(
            stored,
            check_ins(stored),
            thresholds={STAGE: Thresholds(3, 1, 3), STAGE - 1: Thresholds(3, 1, 3)},
            now=NOW,
        )
        for x in stored:
            if x.light is not None:
                assert lower[x.id].light is x.light

    reaching_every_status(check)

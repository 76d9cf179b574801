"""The pain gate, exhaustively: worked cases for every rule, then invariants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clients.progression import (
    Evaluation,
    Light,
    NextStage,
    SessionFacts,
    Status,
    Thresholds,
    evaluate,
    history_lights,
    session_light,
)

TODAY = date(2026, 11, 25)
ENTERED = datetime(2026, 11, 1, 9, tzinfo=UTC)
STAGE = 3
T = Thresholds()
HINGE = NextStage("Standing hip hinge", needs_technique_signoff=False)
KB_DEADLIFT = NextStage("Kettlebell deadlift", needs_technique_signoff=True)

_ids = iter(range(1, 10**9))


def s(
    days_ago: int,
    during: int = 1,
    *,
    before: int = 1,
    after: int = 1,
    next_day: int | None = 1,
    lower_back: bool = False,
    stage: int = STAGE,
    hour: int = 18,
) -> SessionFacts:
    day = TODAY - timedelta(days=days_ago)
    return SessionFacts(
        id=next(_ids),
        stage_id=stage,
        performed_on=day,
        logged_at=datetime(day.year, day.month, day.day, hour, tzinfo=UTC),
        pain_before=before,
        pain_during=during,
        pain_after=after,
        felt_in_lower_back=lower_back,
        next_day_pain=next_day,
    )


def run(
    sessions: list[SessionFacts],
    *,
    next_stage: NextStage | None = HINGE,
    signed_off: bool = False,
    thresholds: Thresholds = T,
    entered_at: datetime = ENTERED,
) -> Evaluation:
    return evaluate(
        stage_id=STAGE,
        entered_at=entered_at,
        sessions=sessions,
        thresholds=thresholds,
        today=TODAY,
        current_exercise="Standing hip hinge",
        next_stage=next_stage,
        technique_signed_off=signed_off,
    )


# --- One session's light ------------------------------------------------------


@pytest.mark.parametrize(
    ("session", "light", "reason"),
    [
        (s(1, 0, before=2, next_day=2), Light.GREEN, None),
        (s(1, 2, before=2, next_day=1), Light.GREEN, None),
        (s(1, 2, before=0, next_day=0), Light.GREEN, None),
        (s(1, 3, before=2, next_day=2), Light.AMBER, "pain reached 3 during the session"),
        (s(1, 5, before=4, next_day=3), Light.AMBER, "pain reached 5 during the session"),
        (s(1, 1, lower_back=True), Light.AMBER, "felt in the lower back"),
        (s(1, 6), Light.RED, "pain rose to 6 during the session"),
        (s(1, 10, next_day=None), Light.RED, "pain rose to 10 during the session"),
        (
            s(1, 1, before=2, next_day=3),
            Light.RED,
            "back pain was worse the next morning (3, up from 2 before the session)",
        ),
        (s(1, 4, before=1, next_day=2), Light.RED, "back pain was worse the next morning"),
        (s(0, 1, next_day=None), Light.PENDING, "waiting for the next-morning check-in"),
        (s(0, 5, next_day=None), Light.PENDING, "waiting for the next-morning check-in"),
    ],
)
def test_each_session_gets_the_light_its_pain_scores_earn(
    session: SessionFacts, light: Light, reason: str | None
) -> None:
    """Green <= 2 and settled, amber 3-5 and settled, red above 5 or worse next morning."""
    verdict = session_light(session, T)
    assert verdict.light is light
    if reason:
        assert any(reason in r for r in verdict.reasons)
    else:
        assert verdict.reasons == ()


def test_pain_rising_over_three_sessions_into_amber_is_red() -> None:
    """1, 2, 3 during the last three sessions makes the third red."""
    history = [s(5, 1), s(3, 2)]
    verdict = session_light(s(1, 3, before=3, next_day=3), T, history)
    assert verdict.light is Light.RED
    assert verdict.reasons == ("pain has risen over the last 3 sessions (1, 2, 3)",)


@pytest.mark.parametrize(
    ("durings", "light"),
    [
        ([0, 1, 2], Light.GREEN),  # rising but still within green: not a flare
        ([3, 3, 4], Light.AMBER),  # not strictly rising
        ([4, 2, 3], Light.AMBER),  # fell then rose
    ],
)
def test_rising_pain_needs_a_strict_rise_ending_above_green(
    durings: list[int], light: Light
) -> None:
    """Only a strict three-session rise that ends above the green maximum is red."""
    sessions = [s(10 - i, d, before=3, next_day=3) for i, d in enumerate(durings)]
    assert session_light(sessions[-1], T, sessions[:-1]).light is light


def test_thresholds_come_from_the_stage() -> None:
    """A stage with stricter limits changes the light of the same scores."""
    strict = Thresholds(green_sessions_needed=2, green_max_pain=1, amber_max_pain=3)
    assert session_light(s(1, 2), strict).light is Light.AMBER
    assert session_light(s(1, 4), strict).light is Light.RED


# --- The client's status -----------------------------------------------------------


def test_no_sessions_is_hold_with_a_plain_reason() -> None:
    result = run([])
    assert result.status is Status.HOLD
    assert result.reasons == ("no sessions logged at this stage yet", "0 of 3 green sessions")


def test_three_greens_on_separate_days_is_ready() -> None:
    """READY when the last three sessions, on separate days, are all green."""
    result = run([s(5), s(3), s(1)])
    assert result.status is Status.READY
    assert result.reasons == ("ready for the standing hip hinge", "3 of 3 green sessions")
    assert result.green_days == 3


def test_two_greens_is_hold_counting_them() -> None:
    result = run([s(3), s(1)])
    assert result.status is Status.HOLD
    assert result.reasons == ("2 of 3 green sessions",)


def test_greens_on_the_same_day_count_once() -> None:
    """Three green sessions on two days are 2 of 3."""
    result = run([s(3, hour=9), s(3, hour=18), s(1)])
    assert result.status is Status.HOLD
    assert "2 of 3 green sessions" in result.reasons


def test_an_amber_session_resets_the_green_run() -> None:
    """The greens must be the latest sessions: an amber in between breaks the run."""
    result = run([s(9), s(7), s(5), s(3, 4, before=4, next_day=4), s(1)])
    assert result.status is Status.HOLD
    assert result.reasons[0] == "1 of 3 green sessions"


def test_an_amber_last_session_says_why() -> None:
    result = run([s(3), s(1, 4, before=4, next_day=3)])
    assert result.status is Status.HOLD
    assert result.reasons == (
        "0 of 3 green sessions",
        "last session: pain reached 4 during the session",
    )


def test_a_session_felt_in_the_lower_back_is_not_green() -> None:
    result = run([s(5), s(3), s(1, lower_back=True)])
    assert result.status is Status.HOLD
    assert "last session: felt in the lower back" in result.reasons


def test_one_red_session_is_a_flare_with_a_regress_suggestion() -> None:
    """Pain above 5 during the last session: FLARE, suggest regressing one stage."""
    result = run([s(5), s(3), s(1, 7, next_day=None)])
    assert result.status is Status.FLARE
    assert result.reasons == (
        "pain rose to 7 during the last session",
        "suggested: regress one stage",
    )


def test_worse_next_morning_is_a_flare() -> None:
    result = run([s(3), s(1, 2, before=2, next_day=4)])
    assert result.status is Status.FLARE
    assert (
        result.first_reason
        == "back pain was worse the next morning (4, up from 2 before the session)"
    )


def test_an_earlier_red_is_dated_while_it_is_unresolved() -> None:
    """A red followed only by ambers or pending sessions keeps the flare, naming its day."""
    result = run([s(4, 6), s(2, 3, before=3, next_day=3), s(0, 1, next_day=None)])
    assert result.status is Status.FLARE
    assert result.first_reason == "pain rose to 6 during the session on 21 Nov"


def test_a_green_after_a_red_settles_the_flare_but_restarts_the_count() -> None:
    """After a red, the client is on HOLD until three new greens."""
    result = run([s(9), s(7), s(5, 6), s(3), s(1)])
    assert result.status is Status.HOLD
    assert result.reasons[0] == "2 of 3 green sessions"
    assert run([s(9), s(7), s(5, 6), s(4), s(3), s(1)]).status is Status.READY


def test_waiting_for_this_mornings_check_in_holds_a_client() -> None:
    """Yesterday's session is pending until the morning check-in is answered."""
    result = run([s(5), s(3), s(1, next_day=None)])
    assert result.status is Status.HOLD
    assert result.reasons == ("2 of 3 green sessions", "waiting for this morning's check-in")


def test_three_greens_and_a_pending_session_still_wait() -> None:
    """A pending session may still turn red, so READY waits for its check-in."""
    result = run([s(7), s(5), s(3), s(0, next_day=None)])
    assert result.status is Status.HOLD
    assert result.reasons == ("3 of 3 green sessions", "waiting for tomorrow morning's check-in")


def test_an_old_unanswered_check_in_is_named_by_date() -> None:
    result = run([s(4, next_day=None)])
    assert "waiting for the check-in after the session on 21 Nov" in result.reasons


def test_a_loaded_next_stage_needs_a_technique_sign_off() -> None:
    """Three greens before the kettlebell deadlift are not enough without a sign-off."""
    sessions = [s(5), s(3), s(1)]
    held = run(sessions, next_stage=KB_DEADLIFT)
    assert held.status is Status.HOLD
    assert held.reasons == (
        "3 of 3 green sessions",
        "technique not signed off for the standing hip hinge",
    )
    assert run(sessions, next_stage=KB_DEADLIFT, signed_off=True).status is Status.READY


def test_the_final_stage_is_never_ready() -> None:
    """There is nothing past stage 8 to progress to."""
    result = run([s(5), s(3), s(1)], next_stage=None)
    assert result.status is Status.HOLD
    assert result.first_reason == "final stage of the progression reached"


def test_the_number_of_greens_needed_comes_from_the_stage() -> None:
    two = Thresholds(green_sessions_needed=2)
    assert run([s(3), s(1)], thresholds=two).status is Status.READY


def test_sessions_before_entering_the_stage_do_not_count() -> None:
    """Only sessions logged since the latest assignment to this stage count."""
    entered = datetime(2026, 11, 23, 12, tzinfo=UTC)
    result = run([s(5), s(4), s(1)], entered_at=entered)
    assert result.reasons[0] == "1 of 3 green sessions"
    assert set(result.lights) == {max(result.lights)}


def test_sessions_at_other_stages_do_not_count() -> None:
    result = run([s(5, stage=2), s(3, stage=2), s(1)])
    assert result.reasons[0] == "1 of 3 green sessions"


def test_history_lights_judge_each_session_at_its_own_stage() -> None:
    """Rising pain is looked for within a stage, with that stage's thresholds."""
    a, b = s(9, 1, stage=2), s(7, 2, stage=3)
    c = s(5, 3, stage=2, before=3, next_day=3)
    lights = history_lights([a, b, c], {2: Thresholds(), 3: Thresholds()})
    assert lights == {a.id: Light.GREEN, b.id: Light.GREEN, c.id: Light.AMBER}


# --- Invariants ---------------------------------------------------------------------

pain = st.integers(min_value=0, max_value=10)


@st.composite
def sessions_strategy(
    draw: st.DrawFn, stage: int = STAGE, max_size: int = 12
) -> list[SessionFacts]:
    days = draw(st.lists(st.integers(min_value=0, max_value=20), max_size=max_size))
    result = []
    for days_ago in days:
        answered = days_ago > 0 and draw(st.booleans())
        result.append(
            s(
                days_ago,
                draw(pain),
                before=draw(pain),
                after=draw(pain),
                next_day=draw(pain) if answered else None,
                lower_back=draw(st.booleans()),
                stage=stage,
                hour=draw(st.integers(min_value=6, max_value=21)),
            )
        )
    return result


def chronological(sessions: list[SessionFacts]) -> list[SessionFacts]:
    return sorted(sessions, key=lambda x: (x.performed_on, x.logged_at, x.id))


@settings(max_examples=300, deadline=None)
@given(sessions_strategy())
def test_ready_always_follows_n_greens_on_separate_days_after_any_red(
    sessions: list[SessionFacts],
) -> None:
    """A red session is never followed by READY until N new greens on separate days."""
    result = run(sessions)
    if result.status is not Status.READY:
        return
    ordered = chronological(sessions)
    reds = [i for i, x in enumerate(ordered) if result.lights[x.id].light is Light.RED]
    after = ordered[reds[-1] + 1 :] if reds else ordered
    green_days = {x.performed_on for x in after if result.lights[x.id].light is Light.GREEN}
    assert len(green_days) >= T.green_sessions_needed
    assert all(result.lights[x.id].light is not Light.PENDING for x in ordered)


@settings(max_examples=300, deadline=None)
@given(sessions_strategy(), pain)
def test_adding_a_green_session_never_turns_ready_into_flare(
    sessions: list[SessionFacts], before: int
) -> None:
    """A new, later green session cannot make a READY client FLARE."""
    if run(sessions).status is not Status.READY:
        return
    green = s(-1, 0, before=before, next_day=before)
    assert run([*sessions, green]).status is not Status.FLARE


@settings(max_examples=300, deadline=None)
@given(sessions_strategy(), sessions_strategy(stage=99))
def test_status_depends_only_on_sessions_at_the_current_stage(
    here: list[SessionFacts], elsewhere: list[SessionFacts]
) -> None:
    """Sessions at another stage change nothing."""
    alone, mixed = run(here), run([*here, *elsewhere])
    assert (alone.status, alone.reasons, alone.lights) == (
        mixed.status,
        mixed.reasons,
        mixed.lights,
    )


@settings(max_examples=300, deadline=None)
@given(sessions_strategy())
def test_any_red_without_a_later_green_is_a_flare(sessions: list[SessionFacts]) -> None:
    """One red session puts the client on FLARE until a green session follows it."""
    result = run(sessions)
    ordered = chronological(sessions)
    lights = [result.lights[x.id].light for x in ordered]
    decided = [light for light in lights if light is not Light.PENDING]
    if Light.RED in decided:
        last_red = len(decided) - 1 - decided[::-1].index(Light.RED)
        expect_flare = Light.GREEN not in decided[last_red + 1 :]
        assert (result.status is Status.FLARE) is expect_flare
    else:
        assert result.status is not Status.FLARE


@settings(max_examples=200, deadline=None)
@given(sessions_strategy())
def test_every_session_gets_a_light_and_every_status_a_reason(
    sessions: list[SessionFacts],
) -> None:
    result = run(sessions)
    assert set(result.lights) == {x.id for x in sessions}
    assert result.reasons
    assert result.green_days >= 0


@settings(max_examples=200, deadline=None)
@given(sessions_strategy())
def test_the_order_sessions_arrive_in_does_not_matter(sessions: list[SessionFacts]) -> None:
    assert run(sessions) == run(list(reversed(sessions)))

"""The pain gate, rule by rule: worked cases at every boundary of DESIGN.md's rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clients.progression import (
    CheckIn,
    Evaluation,
    Light,
    NextStage,
    Session,
    Status,
    Suggestion,
    Thresholds,
    check_in_window,
    decide,
    evaluate,
    usual_level,
)
from clients.reasons import check_in_wait, words

ZONE = "Europe/London"
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, tzinfo=ZoneInfo(ZONE))
STAGE = 3
ENTERED = TODAY - timedelta(days=30)
T = Thresholds()
HINGE = NextStage("Standing hip hinge", needs_technique_signoff=False)
KB_DEADLIFT = NextStage("Kettlebell deadlift", needs_technique_signoff=True)

_ids = iter(range(1, 10**9))


def s(
    days_ago: int,
    during: int = 1,
    *,
    before: int = 1,
    after: int | None = None,
    morning: int | None = 1,
    hurt: bool = False,
    stage: int = STAGE,
    zone: str = ZONE,
    logged_days_late: int = 0,
    light: Light | None = None,
    red_known_on: date | None = None,
) -> Session:
    """A session done `days_ago`, logged that evening, with its next-morning check-in."""
    day = TODAY - timedelta(days=days_ago)
    tz = ZoneInfo(zone)
    logged_at = datetime.combine(day + timedelta(days=logged_days_late), time(18), tzinfo=tz)
    opens, closes = check_in_window(day, zone)
    answered = day + timedelta(days=1) if morning is not None else None
    return Session(
        id=next(_ids),
        stage_id=stage,
        day=day,
        logged_at=logged_at,
        logged_on=logged_at.date(),
        window_opens=opens,
        window_closes=closes,
        pain_before=before,
        pain_during=during,
        pain_after=during if after is None else after,
        lower_back_hurt=hurt,
        next_morning=morning,
        answered_on=answered,
        light=light,
        red_known_on=red_known_on,
    )


def check_ins(sessions: list[Session]) -> list[CheckIn]:
    """The check-ins the sessions' next-morning values came from (one per day)."""
    days = {}
    for x in sessions:
        if x.next_morning is not None and x.answered_on is not None:
            days[x.day] = CheckIn(x.day, x.next_morning, x.answered_on)
    return list(days.values())


def run(
    sessions: list[Session],
    *,
    next_stage: NextStage | None = HINGE,
    signed_off: bool = False,
    thresholds: Thresholds = T,
    entered_on: date = ENTERED,
    extra_check_ins: list[CheckIn] | None = None,
    now: datetime = NOW,
) -> Evaluation:
    return evaluate(
        stage_id=STAGE,
        entered_on=entered_on,
        sessions=sessions,
        check_ins=check_ins(sessions) + (extra_check_ins or []),
        thresholds={STAGE: thresholds, STAGE - 1: thresholds},
        today=now.astimezone(ZoneInfo(ZONE)).date(),
        now=now,
        current_exercise="Glute bridge",
        next_stage=next_stage,
        technique_signed_off=signed_off,
    )


def light_of(session: Session, *, check: list[CheckIn] | None = None, now: datetime = NOW) -> Light:
    usual = usual_level(session, check if check is not None else check_ins([session]))
    return decide(session, usual=usual, thresholds=T, now=now).light


def codes(evaluation: Evaluation) -> list[str]:
    return [r.code for r in evaluation.reasons]


# --- A session's light: pain during and after -----------------------------------


@pytest.mark.parametrize(
    ("during", "after", "expected"),
    [
        (2, 2, Light.GREEN),  # at the green floor
        (3, 1, Light.AMBER),  # during one above the floor
        (1, 3, Light.AMBER),  # after one above the floor
        (5, 5, Light.AMBER),  # at the ceiling
        (6, 1, Light.RED),  # during above the ceiling
        (1, 6, Light.RED),  # after above the ceiling
    ],
)
def test_pain_during_and_after_set_the_light_at_floor_and_ceiling(
    during: int, after: int, expected: Light
) -> None:
    """Green up to the floor (2), amber up to the ceiling (5), red above it: during and after."""
    assert light_of(s(1, during, after=after, before=0, morning=0)) is expected


def test_pain_before_raises_the_green_cap_up_to_the_ceiling() -> None:
    """With pain before of 3, pain of 3 during and after is still green (no worse than at rest)."""
    assert light_of(s(1, 3, before=3, morning=3)) is Light.GREEN
    assert light_of(s(1, 4, before=3, morning=3)) is Light.AMBER
    assert light_of(s(1, 5, before=5, morning=5)) is Light.GREEN


@pytest.mark.parametrize(("before", "expected"), [(5, Light.GREEN), (6, Light.AMBER)])
def test_pain_before_above_5_is_never_green_and_says_talk_to_your_coach(
    before: int, expected: Light
) -> None:
    """Pain at rest of 5 can be green; 6 is at best amber, with its own reason."""
    session = s(1, 1, before=before, morning=before)
    decision = decide(session, usual=before, thresholds=T, now=NOW)
    assert decision.light is expected
    if before == 6:
        assert [r.code for r in decision.reasons] == ["rest_high"]
        assert words(decision.reasons[0], TODAY) == "pain at rest is high (6): talk to your coach"


def test_a_lower_back_that_hurt_is_at_best_amber() -> None:
    """Pain in the lower back keeps a session amber, however low the numbers."""
    decision = decide(s(1, 0, before=0, morning=0, hurt=True), usual=0, thresholds=T, now=NOW)
    assert decision.light is Light.AMBER
    assert words(decision.reasons[0], TODAY) == "the lower back hurt"


def test_red_wins_over_every_other_rule() -> None:
    """Pain above the ceiling is red even with a lower back that hurt and high rest pain."""
    assert light_of(s(1, 7, before=7, hurt=True, morning=None)) is Light.RED


def test_a_stage_ceiling_below_5_moves_red_down() -> None:
    """The ceiling is per stage: at a ceiling of 4, pain of 5 during is red."""
    strict = Thresholds(green_days_needed=3, green_floor=1, amber_ceiling=4)
    decision = decide(s(1, 5, before=0, morning=0), usual=0, thresholds=strict, now=NOW)
    assert decision.light is Light.RED
    assert decide(s(1, 2, before=0, morning=0), usual=0, thresholds=strict, now=NOW).light is (
        Light.AMBER
    )


# --- The next morning against the usual level ------------------------------------


@pytest.mark.parametrize(
    ("morning", "expected"),
    [(2, Light.GREEN), (3, Light.AMBER), (4, Light.RED), (0, Light.GREEN)],
)
def test_the_next_morning_against_the_usual_level(morning: int, expected: Light) -> None:
    """Usual 2: back to it or below is green, +1 amber (noise), +2 or more red."""
    assert light_of(s(1, 1, before=2, morning=morning)) is expected


def test_the_usual_level_is_the_higher_of_pain_before_and_a_recent_check_in() -> None:
    """Morning stiffness of 4 two days ago makes 4 the usual level, not an evening's 1."""
    session = s(1, 1, before=1, morning=4)
    stiff = [CheckIn(TODAY - timedelta(days=4), 4, TODAY - timedelta(days=3))]
    assert usual_level(session, stiff) == 4
    assert light_of(session, check=stiff) is Light.GREEN
    assert light_of(session, check=[]) is Light.RED


def test_only_check_ins_in_the_3_days_before_the_session_count_as_usual() -> None:
    """A check-in 4 days before the session's day is too old to set the usual level."""
    session = s(1, 1, before=1, morning=2)
    three = [CheckIn(TODAY - timedelta(days=5), 5, TODAY - timedelta(days=4))]
    four = [CheckIn(TODAY - timedelta(days=6), 5, TODAY - timedelta(days=5))]
    assert usual_level(session, three) == 5
    assert usual_level(session, four) == 1


def test_the_most_recent_check_in_sets_the_usual_level_not_the_highest() -> None:
    session = s(1, 1, before=1)
    history = [
        CheckIn(TODAY - timedelta(days=4), 6, TODAY - timedelta(days=3)),
        CheckIn(TODAY - timedelta(days=3), 2, TODAY - timedelta(days=2)),
    ]
    assert usual_level(session, history) == 2


# --- The check-in window, by the server's clock ----------------------------------


ZONES = ["America/Los_Angeles", "Asia/Kolkata", "Europe/London"]


@pytest.mark.parametrize("zone", ZONES)
def test_the_window_opens_at_4_and_closes_at_midnight_local(zone: str) -> None:
    """West of UTC, east of it (with a half hour), and London: 04:00 to 23:59:59 local."""
    day = date(2026, 11, 24)
    opens, closes = check_in_window(day, zone)
    tz = ZoneInfo(zone)
    assert opens == datetime(2026, 11, 25, 4, tzinfo=tz)
    assert closes == datetime(2026, 11, 26, 0, tzinfo=tz)
    assert datetime(2026, 11, 25, 3, 59, tzinfo=tz) < opens
    assert datetime(2026, 11, 25, 23, 59, 59, tzinfo=tz) < closes
    assert datetime(2026, 11, 26, 0, 1, tzinfo=tz) > closes


def test_the_window_keeps_local_times_across_a_clock_change() -> None:
    """On the night London's clocks go back (25 October 2026), the window still starts at 4."""
    opens, closes = check_in_window(date(2026, 10, 24), ZONE)
    assert opens.astimezone(UTC) == datetime(2026, 10, 25, 4, tzinfo=UTC)  # GMT again
    assert closes.astimezone(UTC) == datetime(2026, 10, 26, 0, tzinfo=UTC)
    spring_opens, _ = check_in_window(date(2026, 3, 28), ZONE)
    assert spring_opens.astimezone(UTC) == datetime(2026, 3, 29, 3, tzinfo=UTC)  # BST


@pytest.mark.parametrize("zone", ZONES)
def test_an_unanswered_check_in_is_pending_until_midnight_then_missed(zone: str) -> None:
    """At 23:59 local the session still waits; at 00:01 the window has closed: missed."""
    session = s(1, 1, morning=None, zone=zone)
    tz = ZoneInfo(zone)
    just_before = datetime.combine(TODAY, time(23, 59), tzinfo=tz)
    just_after = datetime.combine(TODAY + timedelta(days=1), time(0, 1), tzinfo=tz)
    assert decide(session, usual=1, thresholds=T, now=just_before).light is Light.PENDING
    missed = decide(session, usual=1, thresholds=T, now=just_after)
    assert missed.light is Light.MISSED
    assert [r.code for r in missed.reasons] == ["check_in_missed"]


def test_a_session_logged_after_its_window_closed_is_decided_at_once() -> None:
    """Logged two days late: missed if the pain stayed within the ceiling, red if not."""
    late = s(3, 2, morning=None, logged_days_late=2)
    assert light_of(late) is Light.MISSED
    late_red = s(3, 7, morning=None, logged_days_late=2)
    decision = decide(late_red, usual=1, thresholds=T, now=NOW)
    assert decision.light is Light.RED
    assert decision.red_known_on == late_red.logged_on


def test_a_red_on_pain_during_never_waits_for_its_check_in() -> None:
    decision = decide(s(0, 6, morning=None), usual=1, thresholds=T, now=NOW)
    assert decision.light is Light.RED and decision.red_known_on == TODAY


def test_a_stored_light_is_taken_as_given() -> None:
    """History is never re-coloured: a stored green stays green whatever the numbers say now."""
    stored = s(5, 9, light=Light.GREEN)
    assert light_of(stored) is Light.GREEN


# --- Days and READY --------------------------------------------------------------


def test_three_green_days_are_ready() -> None:
    evaluation = run([s(5), s(3), s(1)])
    assert evaluation.status is Status.READY
    assert codes(evaluation)[:2] == ["ready", "green_days"]
    assert evaluation.green_days == 3


def test_two_green_days_hold_counting_them() -> None:
    evaluation = run([s(3), s(1)])
    assert evaluation.status is Status.HOLD
    assert words(evaluation.reasons[0], TODAY) == "2 of 3 green days"


def test_two_sessions_on_one_day_count_as_one_day_and_the_worst_decides() -> None:
    """A green and an amber on the same day make an amber day; two greens make one green day."""
    same_day = [s(5), s(3), s(1), s(1, 3)]
    assert run(same_day).status is Status.HOLD
    assert run(same_day).green_days == 0
    two_greens = [s(5), s(5), s(3)]
    assert run(two_greens).green_days == 2


def test_an_amber_day_restarts_the_count() -> None:
    evaluation = run([s(7), s(5), s(3, 4), s(1)])
    assert evaluation.status is Status.HOLD and evaluation.green_days == 1


def test_a_missed_day_restarts_the_count_like_an_amber() -> None:
    evaluation = run([s(7), s(5), s(3, morning=None), s(1)])
    assert evaluation.green_days == 1
    assert evaluation.status is Status.HOLD


def test_n_green_days_comes_from_the_stage() -> None:
    two = Thresholds(green_days_needed=2, green_floor=2, amber_ceiling=5)
    assert run([s(3), s(1)], thresholds=two).status is Status.READY


@pytest.mark.parametrize(("latest_days_ago", "expected"), [(13, Status.READY), (14, Status.HOLD)])
def test_the_latest_green_day_must_be_within_14_client_days(
    latest_days_ago: int, expected: Status
) -> None:
    """Green days 13 days old still count; 14 days old are stale."""
    evaluation = run([s(latest_days_ago + 4), s(latest_days_ago + 2), s(latest_days_ago)])
    assert evaluation.status is expected
    if expected is Status.HOLD:
        assert "stale" in codes(evaluation)


def test_while_only_todays_session_waits_the_client_is_ready_after_tomorrows_check_in() -> None:
    evaluation = run([s(5), s(3), s(1), s(0, morning=None)])
    assert evaluation.status is Status.HOLD
    assert words(evaluation.reasons[0], TODAY) == "ready after tomorrow's check-in"


def test_an_earlier_wait_holds_with_the_one_wording_for_the_check_in() -> None:
    """Yesterday's session waits for today's check-in: HOLD, 'waiting for today's check-in'."""
    evaluation = run([s(6), s(4), s(2), s(1, morning=None)])
    assert evaluation.status is Status.HOLD
    assert "waiting for today's check-in (open until midnight)" in [
        words(r, TODAY) for r in evaluation.reasons
    ]


def test_an_old_unanswered_check_in_no_longer_blocks_ready() -> None:
    """A check-in missed a week ago is decided (missed): three later green days are READY."""
    evaluation = run([s(9, morning=None), s(5), s(3), s(1)])
    assert evaluation.status is Status.READY


def test_a_loaded_next_stage_needs_a_technique_sign_off() -> None:
    greens = [s(5), s(3), s(1)]
    waiting = run(greens, next_stage=KB_DEADLIFT)
    assert waiting.status is Status.HOLD
    assert words(waiting.reasons[-1], TODAY) == "technique not signed off for the glute bridge"
    assert run(greens, next_stage=KB_DEADLIFT, signed_off=True).status is Status.READY


def test_the_last_stage_ready_reads_programme_complete() -> None:
    evaluation = run([s(5), s(3), s(1)], next_stage=None)
    assert evaluation.status is Status.READY
    assert codes(evaluation)[0] == "complete"
    assert evaluation.suggestion is Suggestion.COMPLETE


def test_sessions_before_entering_the_stage_do_not_count() -> None:
    """Back-dating cannot make a client ready: days before the stage began are not counted."""
    evaluation = run([s(5), s(3), s(1)], entered_on=TODAY - timedelta(days=2))
    assert evaluation.green_days == 1 and evaluation.status is Status.HOLD


def test_sessions_at_another_stage_do_not_count_towards_ready() -> None:
    evaluation = run([s(5, stage=STAGE - 1), s(3, stage=STAGE - 1), s(1)])
    assert evaluation.green_days == 1


def test_no_sessions_is_hold_with_a_plain_reason() -> None:
    evaluation = run([])
    assert evaluation.status is Status.HOLD
    assert codes(evaluation)[:2] == ["no_sessions", "green_days"]


# --- FLARE: reds, and when they are found ----------------------------------------


def test_a_red_is_a_flare_with_a_cut_suggestion() -> None:
    evaluation = run([s(5), s(3), s(1, 7)])
    assert evaluation.status is Status.FLARE
    assert evaluation.suggestion is Suggestion.CUT
    assert words(evaluation.reasons[0], TODAY) == (
        "red on Tuesday 24 November: pain during was above the ceiling"
    )


def test_a_green_day_after_the_day_a_red_became_known_ends_the_flare() -> None:
    evaluation = run([s(5, 7), s(3), s(1)])
    assert evaluation.status is Status.HOLD
    assert evaluation.green_days == 2


def test_a_red_found_by_a_late_check_in_is_not_absorbed_by_greens_logged_before() -> None:
    """Day -3's check-in, answered on day -2, reveals a red after day -2's green was logged.

    The red became known on day -2: the green of day -2 (the same client-day)
    does not end it; the green of day -1 does.
    """
    red_by_morning = s(3, 1, before=1, morning=4)  # answered on day -2: +3 over usual 1
    same_day_green = s(2)
    assert run([red_by_morning, same_day_green]).status is Status.FLARE
    later_green = s(1)
    assert run([red_by_morning, same_day_green, later_green]).status is Status.HOLD


def test_a_green_on_the_same_client_day_as_the_discovery_never_ends_the_flare() -> None:
    """A red found today (a late log) stays open however many greens today holds."""
    found_today = s(4, 8, morning=None, logged_days_late=4)
    evaluation = run([s(2), s(1), found_today, s(0)])
    assert evaluation.status is Status.FLARE


def test_a_red_found_after_a_regress_counts_at_the_new_stage() -> None:
    """A session at the old stage turns red by its check-in after the move: still a FLARE."""
    moved_today = TODAY
    old_stage_red = s(1, 1, before=1, morning=5, stage=STAGE + 1)  # known today
    evaluation = run([old_stage_red], entered_on=moved_today)
    assert evaluation.status is Status.FLARE


def test_a_red_known_before_the_stage_began_does_not_count() -> None:
    old = s(10, 8, stage=STAGE + 1)
    assert run([old], entered_on=TODAY - timedelta(days=3)).status is Status.HOLD


@pytest.mark.parametrize(("apart", "suggestion"), [(6, Suggestion.REGRESS), (7, Suggestion.CUT)])
def test_two_red_days_at_most_6_days_apart_suggest_regressing(
    apart: int, suggestion: Suggestion
) -> None:
    """Known on day 0 and day 6: regress one stage; day 0 and day 7: cut volume or load."""
    evaluation = run([s(apart + 1, 8), s(1, 8)])
    assert evaluation.status is Status.FLARE
    assert evaluation.suggestion is suggestion


def test_two_reds_on_one_day_count_once() -> None:
    evaluation = run([s(1, 8), s(1, 9)])
    assert evaluation.suggestion is Suggestion.CUT


def test_a_red_corrected_away_does_not_count() -> None:
    """Two reds within a week suggest regressing; with one corrected to amber, only cutting."""
    assert run([s(4, 8), s(1, 8)]).suggestion is Suggestion.REGRESS
    corrected = run([s(4, 8), s(1, 4)])
    assert corrected.status is Status.FLARE
    assert corrected.suggestion is Suggestion.CUT


def test_a_red_from_a_correction_is_known_on_the_correction_day() -> None:
    """A session from 3 days ago corrected to red today: greens of the days between don't count."""
    from dataclasses import replace

    corrected = replace(s(3, 8), known_floor=TODAY)
    decision = decide(corrected, usual=1, thresholds=T, now=NOW)
    assert decision.red_known_on == TODAY
    assert run([corrected, s(2), s(1)]).status is Status.FLARE


# --- The week-on-week rule ----------------------------------------------------------


def resting(values_last: list[int], values_before: list[int]) -> list[Session]:
    """Sessions whose pain before sets the resting values: this week's, then last week's."""
    this_week = [
        s(i % 7, 1, before=v, morning=None, light=Light.GREEN) for i, v in enumerate(values_last)
    ]
    last_week = [
        s(7 + i % 7, 1, before=v, morning=None, light=Light.GREEN)
        for i, v in enumerate(values_before)
    ]
    return this_week + last_week


def test_pain_creeping_up_by_2_week_on_week_is_a_flare() -> None:
    evaluation = run(resting([3, 3], [1, 1]))
    assert evaluation.status is Status.FLARE
    assert codes(evaluation) == ["creep_flare"]


def test_a_rise_of_1_week_on_week_holds() -> None:
    evaluation = run(resting([2, 2], [1, 1]))
    assert evaluation.status is Status.HOLD
    assert "creep_small" in codes(evaluation)
    assert "pain a little higher than last week" in words(
        next(r for r in evaluation.reasons if r.code == "creep_small"), TODAY
    )


def test_a_rise_of_half_a_point_in_the_median_still_holds() -> None:
    evaluation = run(resting([1, 2], [1, 1]))
    assert "creep_small" in codes(evaluation)


def test_with_fewer_than_2_values_in_a_week_the_rule_says_nothing() -> None:
    assert "creep_flare" not in codes(run(resting([5], [0, 0])))
    assert "creep_flare" not in codes(run(resting([5, 5], [0])))


def test_check_ins_count_as_resting_values_by_the_day_they_were_answered() -> None:
    """Two morning values of 4 this week against 1s last week: FLARE, with no session at all."""
    values = [
        CheckIn(TODAY - timedelta(days=3), 4, TODAY - timedelta(days=2)),
        CheckIn(TODAY - timedelta(days=2), 4, TODAY - timedelta(days=1)),
        CheckIn(TODAY - timedelta(days=10), 1, TODAY - timedelta(days=9)),
        CheckIn(TODAY - timedelta(days=9), 1, TODAY - timedelta(days=8)),
    ]
    assert run([], extra_check_ins=values).status is Status.FLARE


def test_the_rule_is_client_wide_across_a_stage_change() -> None:
    """Last week's values at the previous stage still count against this week's."""
    before_move = [
        s(9, 1, before=0, stage=STAGE - 1, light=Light.GREEN, morning=None),
        s(8, 1, before=0, stage=STAGE - 1, light=Light.GREEN, morning=None),
    ]
    this_week = [
        s(2, 1, before=3, morning=None, light=Light.AMBER),
        s(1, 1, before=3, morning=None, light=Light.AMBER),
    ]
    evaluation = run(before_move + this_week, entered_on=TODAY - timedelta(days=3))
    assert evaluation.status is Status.FLARE


@pytest.mark.parametrize(("missed", "expected"), [(2, Status.READY), (3, Status.HOLD)])
def test_three_missed_check_ins_this_week_hold(missed: int, expected: Status) -> None:
    """Two missed check-ins in the last 7 days leave READY alone; three hold, with the reason."""
    greens = [s(12), s(11), s(10)]
    gaps = [s(6 - i, 1, morning=None) for i in range(missed)]
    evaluation = run(gaps + greens + [s(3), s(2), s(1)])
    assert evaluation.status is expected
    assert ("missed_check_ins" in codes(evaluation)) is (expected is Status.HOLD)


# --- Words --------------------------------------------------------------------------


def test_the_check_in_wait_has_one_wording_true_at_any_hour() -> None:
    """A session today waits for tomorrow morning; yesterday's waits for today's check-in."""
    assert check_in_wait(TODAY, TODAY) == "waiting for tomorrow morning's check-in"
    assert check_in_wait(TODAY - timedelta(days=1), TODAY) == (
        "waiting for today's check-in (open until midnight)"
    )

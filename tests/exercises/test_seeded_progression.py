import pytest

from exercises.models import Exercise, Progression, Stage

EXPECTED_ORDER = [
    "four-point-rock-back",
    "kneeling-hip-thrust",
    "glute-bridge",
    "standing-hip-hinge",
    "kettlebell-deadlift",
    "romanian-deadlift",
    "pull-through",
    "kettlebell-swing",
]

pytestmark = pytest.mark.django_db


def hip_hinge_stages() -> list[Stage]:
    return list(Stage.objects.in_order().filter(progression__slug="hip-hinge"))


def test_the_hip_hinge_progression_has_eight_stages_in_the_studios_order() -> None:
    """The data migration seeds the eight exercises, rock backs first, swings last."""
    stages = hip_hinge_stages()
    assert [s.position for s in stages] == list(range(1, 9))
    assert [s.exercise.slug for s in stages] == EXPECTED_ORDER
    assert Progression.objects.get(slug="hip-hinge").description


def test_load_comes_in_only_from_the_kettlebell_deadlift_on() -> None:
    """Stages 1-4 are bodyweight; 5-8 are loaded and need a technique sign-off to enter."""
    stages = hip_hinge_stages()
    assert [s.exercise.is_loaded for s in stages] == [False] * 4 + [True] * 4
    assert [s.technique_signoff_required for s in stages] == [False] * 4 + [True] * 4


def test_every_stage_carries_the_default_gate_thresholds() -> None:
    """Three green days, a green floor of 2 and an amber ceiling of 5, as DESIGN.md states."""
    for stage in hip_hinge_stages():
        assert (stage.green_days_needed, stage.green_floor, stage.amber_ceiling) == (
            3,
            2,
            5,
        )
        assert stage.sets >= 1 and stage.reps and stage.seconds is None


def test_every_exercise_has_its_coaching_content() -> None:
    """Purpose, cues and faults are filled in for each seeded exercise."""
    for exercise in Exercise.objects.filter(slug__in=EXPECTED_ORDER):
        assert exercise.summary
        assert len(exercise.purpose_points) >= 3
        assert len(exercise.cue_points) >= 3
        assert len(exercise.fault_points) >= 3


def test_the_seed_carries_the_methods_key_facts() -> None:
    """Knee bend of the hinge, KB on a box, single-leg RDL, cable or band for pull-throughs."""
    by_slug = {e.slug: e for e in Exercise.objects.all()}
    assert "20 to 30 degrees" in by_slug["standing-hip-hinge"].cues
    assert "step or box" in by_slug["kettlebell-deadlift"].variations
    assert "Single-leg" in by_slug["romanian-deadlift"].variations
    assert "low setting" in by_slug["pull-through"].equipment
    assert "band" in by_slug["pull-through"].equipment
    assert "Takes load off the spine" in by_slug["four-point-rock-back"].purpose

import pytest
from django.db import IntegrityError, transaction

from exercises.models import Exercise, Progression, Stage, video_embed_url


@pytest.mark.parametrize(
    ("url", "start", "expected"),
    [
        ("", 25, ""),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            25,
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=25",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            None,
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            5,
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=5",
        ),
        ("https://vimeo.com/76979871", 25, "https://player.vimeo.com/video/76979871#t=25s"),
        ('https://youtube.com/watch?v=bad"id', 25, ""),
        ("https://example.com/video.mp4", 25, ""),
    ],
)
def test_video_links_become_privacy_friendly_embeds_at_the_start_second(
    url: str, start: int | None, expected: str
) -> None:
    """YouTube and Vimeo links embed at the technique breakdown; anything else does not."""
    assert video_embed_url(url, start) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("floor", "ceiling"),
    [(5, 3), (3, 3), (2, 6)],
    ids=["floor above ceiling", "floor at ceiling", "ceiling above 5"],
)
def test_the_database_refuses_gate_thresholds_out_of_order(floor: int, ceiling: int) -> None:
    """The green floor stays below the amber ceiling, and the ceiling is never above 5."""
    progression = Progression.objects.create(name="Test", slug="test", description="x")
    exercise = Exercise.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.create(
            progression=progression,
            position=1,
            exercise=exercise,
            reps=5,
            green_floor=floor,
            amber_ceiling=ceiling,
        )


@pytest.mark.django_db
def test_a_stage_has_reps_or_seconds_not_both() -> None:
    """A prescription is either repetitions or a timed hold."""
    progression = Progression.objects.create(name="Test", slug="test", description="x")
    exercise = Exercise.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.create(
            progression=progression, position=1, exercise=exercise, reps=5, seconds=30
        )

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from exercises.models import Exercise, Progression, Stage

pytestmark = pytest.mark.django_db


def test_the_library_lists_the_eight_exercises_in_stage_order(client: Client) -> None:
    """/exercises/ shows every stage in order, with equipment and whether it is loaded."""
    response = client.get("/exercises/")
    assert response.status_code == 200
    body = response.content.decode()
    names = [s.exercise.name for s in Stage.objects.in_order()]
    positions = [body.index(name) for name in names]
    assert positions == sorted(positions)
    assert body.count("Loaded</span>") == 4
    assert body.count("Bodyweight</span>") == 4
    assert "Equipment: Kettlebell" in body


def test_an_exercise_page_shows_purpose_cues_faults_and_variations(client: Client) -> None:
    """The detail page carries the full coaching content and its place in the progression."""
    response = client.get("/exercises/kettlebell-deadlift/")
    assert response.status_code == 200
    body = response.content.decode()
    for heading in ["Why we do it", "Coaching cues", "Common faults", "Variations and regressions"]:
        assert heading in body
    assert "Stage 5 of 8" in body
    assert "signed off your technique" in body
    assert "4. Standing hip hinge" in body and "6. Romanian deadlift" in body


def test_an_exercise_video_is_embedded_at_its_start_second(client: Client) -> None:
    """With a video URL and start second set, the page embeds the video from that second."""
    Exercise.objects.filter(slug="glute-bridge").update(
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ", video_start_seconds=25
    )
    body = client.get("/exercises/glute-bridge/").content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=25"' in body
    assert 'title="Video: how we coach the glute bridge"' in body


def test_an_unknown_exercise_gives_a_friendly_404(client: Client) -> None:
    """A mistyped slug answers 404 with our own page."""
    response = client.get("/exercises/no-such-thing/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def _add_rows(count: int) -> None:
    progression = Progression.objects.create(name="Extra", slug="extra", description="More")
    for position in range(1, count + 1):
        exercise = Exercise.objects.create(
            name=f"Extra {position}",
            slug=f"extra-{position}",
            summary="s",
            purpose="p",
            cues="c",
            faults="f",
        )
        Stage.objects.create(progression=progression, position=position, exercise=exercise, reps=5)


@pytest.mark.parametrize("url", ["/exercises/", "/exercises/pull-through/", "/"])
def test_public_pages_make_the_same_number_of_queries_as_rows_grow(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries, url: str
) -> None:
    """Adding twenty more stages does not add a query to the library pages."""
    client.get(url)  # warm up anything cached per process
    expected = {"/exercises/": 1, "/exercises/pull-through/": 3, "/": 1}[url]
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    _add_rows(20)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200

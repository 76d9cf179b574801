"""A coach uploads an exercise's media; the pages show it; the video is served in ranges."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient

from coaching.models import User
from exercises.models import Exercise
from tests.exercises.conftest import noisy_png
from tests.factories import make_user

pytestmark = pytest.mark.django_db
SLUG = "kneeling-hip-thrust"


@pytest.fixture
def as_coach(client: HttpClient, coach_a: User) -> HttpClient:
    client.force_login(coach_a)
    return client


def upload(http: HttpClient, **files: Any) -> Any:
    data = {"technique_at": files.pop("technique_at", "0:25"), **files}
    return http.post(f"/exercises/{SLUG}/media/", data)


@pytest.fixture
def with_media(as_coach: HttpClient, clip: bytes, captions: bytes) -> Exercise:
    response = upload(
        as_coach,
        video=SimpleUploadedFile("My clip.MOV", clip, "application/octet-stream"),
        poster=SimpleUploadedFile("still.png", noisy_png(), "image/png"),
        captions=SimpleUploadedFile("subs.vtt", captions, "text/vtt"),
    )
    assert response.status_code == 302
    return Exercise.objects.get(slug=SLUG)


def test_until_a_video_exists_the_page_says_so_plainly(client: HttpClient) -> None:
    body = client.get(f"/exercises/{SLUG}/").content.decode()
    assert "There is no video of the kneeling hip thrust yet" in body
    assert "<video" not in body


def test_a_coach_uploads_a_video_poster_captions_and_the_chapter(
    with_media: Exercise, clip: bytes, settings: Any
) -> None:
    """Named by type from the content (not the .MOV name); the poster is a small WebP."""
    exercise = with_media
    assert exercise.video.name.startswith(f"exercises/{SLUG}/video-")
    assert exercise.video.name.endswith(".webm")
    assert exercise.video_type == "video/webm"
    assert exercise.poster.name.endswith(".webp") and exercise.poster.size <= 10 * 1024
    assert exercise.video_start_seconds == 25
    assert (Path(settings.MEDIA_ROOT) / exercise.video.name).read_bytes() == clip


def test_the_stage_page_shows_the_player_with_nothing_loaded_before_play(
    with_media: Exercise,
) -> None:
    body = HttpClient().get(f"/exercises/{SLUG}/").content.decode()
    video = re.search(r"<video [^>]*>", body)
    assert video is not None
    assert 'preload="none"' in video.group(0)
    assert f'poster="/exercises/{SLUG}/poster.webp?v=' in video.group(0)
    assert f'<source src="/exercises/{SLUG}/video/?v=' in body
    assert 'type="video/webm"' in body
    assert 'kind="captions"' in body
    assert 'data-seek="25"' in body and "Technique: 0:25" in body
    assert "Add or change this exercise" not in body  # not for visitors


def test_the_video_is_served_in_ranges(with_media: Exercise, clip: bytes) -> None:
    """206 with Content-Range for one span; 200 with Accept-Ranges for the whole; 416 past
    the end. Public, no login, and cacheable: the link's ?v= changes with every upload."""
    client = HttpClient()
    src = with_media.video_src
    whole = client.get(src)
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "video/webm"
    assert int(whole["Content-Length"]) == len(clip)
    assert b"".join(whole.streaming_content) == clip
    assert "immutable" in whole["Cache-Control"] and "public" in whole["Cache-Control"]

    part = client.get(src, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(clip)}"
    assert part["Content-Length"] == "100"
    assert b"".join(part.streaming_content) == clip[100:200]

    tail = client.get(src, headers={"Range": "bytes=-10"})
    assert b"".join(tail.streaming_content) == clip[-10:]

    start = client.get(src, headers={"Range": "bytes=0-"})
    assert start.status_code == 206 and b"".join(start.streaming_content) == clip

    past = client.get(src, headers={"Range": f"bytes={len(clip)}-"})
    assert past.status_code == 416
    assert past["Content-Range"] == f"bytes */{len(clip)}"

    stale = client.get(src, headers={"Range": "bytes=0-9", "If-Range": '"old"'})
    assert stale.status_code == 200
    fresh = client.get(src, headers={"Range": "bytes=0-9", "If-Range": whole["ETag"]})
    assert fresh.status_code == 206

    head = client.head(src, headers={"Range": "bytes=0-9"})
    assert head.status_code == 206 and head["Content-Length"] == "10"


def test_the_poster_and_captions_are_served_with_their_types(
    with_media: Exercise, client: HttpClient
) -> None:
    poster = client.get(with_media.poster_src)
    assert poster["Content-Type"] == "image/webp"
    assert len(poster.content) <= 10 * 1024
    captions = client.get(with_media.captions_src)
    assert captions["Content-Type"] == "text/vtt; charset=utf-8"
    assert captions.content.startswith(b"WEBVTT")


def test_a_new_upload_replaces_the_old_file(
    with_media: Exercise,
    as_coach: HttpClient,
    mp4_clip: bytes,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    old = Path(settings.MEDIA_ROOT) / with_media.video.name
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_coach, video=SimpleUploadedFile("b.mp4", mp4_clip, "video/mp4"))
    exercise = Exercise.objects.get(slug=SLUG)
    assert exercise.video.name.endswith(".mp4") and exercise.video_type == "video/mp4"
    assert not old.exists()
    assert exercise.poster  # the rest is kept


def test_a_coach_can_remove_the_video(with_media: Exercise, as_coach: HttpClient) -> None:
    upload(as_coach, remove_video="on", technique_at="")
    exercise = Exercise.objects.get(slug=SLUG)
    assert not exercise.video and exercise.video_type == ""
    assert exercise.video_start_seconds is None
    assert as_coach.get(f"/exercises/{SLUG}/video/").status_code == 404


def test_a_file_that_is_not_a_video_is_refused_with_the_error_pattern(
    as_coach: HttpClient,
) -> None:
    response = upload(
        as_coach, video=SimpleUploadedFile("clip.mp4", noisy_png(10, 10), "video/mp4")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: " in body and "There is a problem" in body
    assert "Upload an MP4 or WebM video (this file looks like image/png)" in body
    assert not Exercise.objects.get(slug=SLUG).video


def test_a_video_over_the_size_limit_is_refused(
    as_coach: HttpClient, clip: bytes, settings: Any
) -> None:
    settings.EXERCISE_VIDEO_MAX_MB = 0
    response = upload(as_coach, video=SimpleUploadedFile("c.webm", clip, "video/webm"))
    assert "the limit is 0 MB" in response.content.decode()


def test_only_coaches_and_staff_change_media(client: HttpClient, client_a: Any) -> None:
    assert client.get(f"/exercises/{SLUG}/media/").status_code == 302  # to the login
    client.force_login(client_a.user)
    assert client.get(f"/exercises/{SLUG}/media/").status_code == 403
    client.force_login(make_user("staff@example.com", is_staff=True))
    assert client.get(f"/exercises/{SLUG}/media/").status_code == 200


def test_the_coach_sees_a_link_to_the_media_page(as_coach: HttpClient) -> None:
    body = as_coach.get(f"/exercises/{SLUG}/").content.decode()
    assert f'href="/exercises/{SLUG}/media/"' in body


def test_the_admin_checks_uploads_the_same_way(
    client: HttpClient, studio_admin: User, clip: bytes, captions: bytes
) -> None:
    """The admin's form refuses a non-video and turns a photo into a small WebP poster."""
    client.force_login(studio_admin)
    exercise = Exercise.objects.get(slug=SLUG)
    url = f"/admin/exercises/exercise/{exercise.pk}/change/"
    form = {
        field: getattr(exercise, field)
        for field in ["name", "slug", "summary", "purpose", "cues", "faults", "equipment"]
    }
    form.update({"variations": exercise.variations, "regression": "Smaller.", "video_url": ""})
    refused = client.post(
        url, {**form, "video": SimpleUploadedFile("x.webm", b"not a video", "video/webm")}
    )
    assert refused.status_code == 200
    assert "Upload an MP4 or WebM video" in refused.content.decode()
    saved = client.post(
        url,
        {
            **form,
            "video_start_seconds": "25",
            "video": SimpleUploadedFile("x.bin", clip, "application/octet-stream"),
            "poster": SimpleUploadedFile("p.png", noisy_png(), "image/png"),
            "captions": SimpleUploadedFile("c.vtt", captions, "text/vtt"),
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    exercise.refresh_from_db()
    assert exercise.video_type == "video/webm" and exercise.video.name.endswith(".webm")
    assert exercise.poster.name.endswith(".webp") and exercise.poster.size <= 10 * 1024
    assert exercise.captions.name.endswith(".vtt")


def test_the_today_page_shows_the_video_for_no_extra_query(
    client: HttpClient, client_a: Any, clip: bytes
) -> None:
    """The clip rides on the stage's exercise, already read with the stage: /me/ makes the
    same number of queries with a video as without (budget 8), and says plainly when
    there is none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exercises.services import MediaChange, update_media

    client.force_login(client_a.user)
    client.get("/me/")
    with CaptureQueriesContext(connection) as without:
        body = client.get("/me/").content.decode()
    assert "There is no video of the glute bridge yet" in body
    exercise = Exercise.objects.get(slug="glute-bridge")
    update_media(
        exercise=exercise,
        change=MediaChange(
            video=SimpleUploadedFile("c.webm", clip), video_type="video/webm", technique_at=25
        ),
    )
    with CaptureQueriesContext(connection) as with_video:
        body = client.get("/me/").content.decode()
    assert 'preload="none"' in body and "Technique: 0:25" in body
    assert len(with_video) == len(without) <= 8


def test_pages_are_compressed_and_video_ranges_are_not(with_media: Exercise, clip: bytes) -> None:
    """A browser that accepts gzip gets the HTML compressed; the video, whole or in ranges,
    goes as it is stored, so its lengths and Content-Range stay true."""
    import gzip

    client = HttpClient(headers={"Accept-Encoding": "gzip, deflate, br"})
    page = client.get("/exercises/")
    assert page["Content-Encoding"] == "gzip" and "Accept-Encoding" in page["Vary"]
    assert b"<html" in gzip.decompress(page.content)
    part = client.get(with_media.video_src, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and not part.has_header("Content-Encoding")
    assert b"".join(part.streaming_content) == clip[100:200]
    whole = client.get(with_media.video_src)
    assert not whole.has_header("Content-Encoding")
    assert b"".join(whole.streaming_content) == clip

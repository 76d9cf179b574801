from __future__ import annotations

from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods

from exercises.forms import ExerciseMediaForm
from exercises.media import RangeNotSatisfiable, byte_range
from exercises.models import Exercise, Stage, media_version, serves_itself, stage_neighbours
from exercises.services import update_media

CHUNK = 64 * 1024


@require_GET
def exercise_list(request: HttpRequest) -> TemplateResponse:
    stages = Stage.objects.in_order().select_related("progression")
    return TemplateResponse(request, "exercises/exercise_list.html", {"stages": stages})


@require_GET
def exercise_detail(request: HttpRequest, slug: str) -> TemplateResponse:
    exercise = get_object_or_404(Exercise, slug=slug)
    stage = exercise.stages.select_related("progression").order_by("position").first()
    previous = following = None
    stage_count = 0
    if stage is not None:
        siblings = list(Stage.objects.in_order().filter(progression_id=stage.progression_id))
        stage_count = len(siblings)
        _, previous, following = stage_neighbours(siblings, stage.pk)
    return TemplateResponse(
        request,
        "exercises/exercise_detail.html",
        {
            "exercise": exercise,
            "stage": stage,
            "stage_count": stage_count,
            "previous": previous,
            "next": following,
            "can_edit_media": _edits_media(request),
        },
    )


def _edits_media(request: HttpRequest) -> bool:
    user = request.user
    return bool(getattr(user, "is_coach", False) or user.is_staff)


def _media_of(slug: str, name: str) -> tuple[Exercise, FieldFile, str]:
    exercise = get_object_or_404(Exercise.objects.only("slug", name, "video_type"), slug=slug)
    file: FieldFile = getattr(exercise, name)
    if not file or not file.name:
        raise Http404("This exercise has no such file yet.")
    return exercise, file, file.name


def _cache(request: HttpRequest, response: HttpResponseBase, name: str) -> None:
    """Library media are public. A link carries its file's version, so it can be kept a year."""
    if request.GET.get("v") == media_version(name):
        patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=300)


def _chunks(file: FieldFile, name: str, start: int, length: int) -> Iterator[bytes]:
    with file.storage.open(name, "rb") as handle:
        handle.seek(start)
        while length > 0:
            block = handle.read(min(CHUNK, length))
            if not block:
                break
            length -= len(block)
            yield block


@require_http_methods(["GET", "HEAD"])
def exercise_video(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The exercise's video with HTTP Range support (206), which phones' players need.

    Django's static `serve` sends whole files only. A remote store serves ranges itself,
    so a request here is sent on to it.
    """
    exercise, file, name = _media_of(slug, "video")
    if not serves_itself(file.storage):
        return redirect(file.storage.url(name))
    size = file.storage.size(name)
    etag = f'"{media_version(name)}-{size:x}"'
    wanted = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range != etag:
        wanted = ""
    try:
        chosen = byte_range(wanted, size) if wanted else None
    except RangeNotSatisfiable:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        refused["Accept-Ranges"] = "bytes"
        return refused
    start, length = (chosen.start, chosen.length) if chosen else (0, size)
    body: Iterator[bytes] = (
        iter(()) if request.method == "HEAD" else _chunks(file, name, start, length)
    )
    response = StreamingHttpResponse(
        body, status=206 if chosen else 200, content_type=exercise.video_type or "video/mp4"
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    if chosen:
        response["Content-Range"] = chosen.content_range(size)
    _cache(request, response, name)
    return response


def _small_file(request: HttpRequest, slug: str, name: str, content_type: str) -> HttpResponse:
    _, file, stored = _media_of(slug, name)
    with file.storage.open(stored, "rb") as handle:
        response = HttpResponse(handle.read(), content_type=content_type)
    _cache(request, response, stored)
    return response


@require_http_methods(["GET", "HEAD"])
def exercise_poster(request: HttpRequest, slug: str) -> HttpResponse:
    """The poster (a WebP of at most 10 KB), read from whichever storage holds it."""
    return _small_file(request, slug, "poster", "image/webp")


@require_http_methods(["GET", "HEAD"])
def exercise_captions(request: HttpRequest, slug: str) -> HttpResponse:
    """The captions, from our own origin so the player needs no cross-origin access."""
    return _small_file(request, slug, "captions", "text/vtt; charset=utf-8")


@require_http_methods(["GET", "POST"])
@login_required
def exercise_media(request: HttpRequest, slug: str) -> HttpResponse:
    """A coach's page to add or change an exercise's video, poster, captions and chapter."""
    if not _edits_media(request):
        raise PermissionDenied("This page is for the studio's coaches.")
    exercise = get_object_or_404(Exercise, slug=slug)
    if request.method == "POST":
        form = ExerciseMediaForm(request.POST, request.FILES)
        if form.is_valid():
            update_media(exercise=exercise, change=form.change)
            messages.success(request, f"Saved the media of the {exercise.name.lower()}.")
            return redirect("exercises:exercise_media", slug=exercise.slug)
    else:
        form = ExerciseMediaForm(initial={"technique_at": exercise.technique_clock})
    return TemplateResponse(
        request, "exercises/exercise_media.html", {"exercise": exercise, "form": form}
    )

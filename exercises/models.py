from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from decimal import Decimal
from pathlib import PurePosixPath
from urllib.parse import parse_qs, urlparse

from django.core.files.storage import Storage
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from exercises.media import clock


def plain_kg(load_kg: object) -> str:
    """A load's number as people write it: '16', '12.5', '20' (never '16.0' or '2E+1')."""
    return f"{Decimal(str(load_kg)).normalize():f}"


def format_kg(load_kg: object) -> str:
    """One format for a load everywhere: '16 kg', '12.5 kg' (never '16.0 kg')."""
    return f"{plain_kg(load_kg)} kg"


def volume_text(sets: int, reps: int | None, seconds: int | None, load_kg: object = None) -> str:
    """'3 × 10 reps', '2 × 30 s', with ' at 12 kg' when there is a load."""
    amount = f"{sets} × {reps} reps" if reps else f"{sets} × {seconds} s"
    return f"{amount} at {format_kg(load_kg)}" if load_kg is not None else amount


def media_name(instance: Exercise, filename: str) -> str:
    """exercises/<slug>/video-<random>.webm: a new name per upload, so caches never go stale."""
    name = PurePosixPath(filename)
    return f"exercises/{instance.slug}/{name.stem}-{secrets.token_hex(4)}{name.suffix.lower()}"


def serves_itself(storage: Storage) -> bool:
    """True for a storage on this machine's disk, whose files our own views must serve.

    A remote store (S3 and the like) answers Range requests itself, so the player
    fetches the video from it directly and no web process streams megabytes.
    """
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


def media_version(name: str) -> str:
    """A short fingerprint of a stored file's name, for the ?v= of its link."""
    return hashlib.sha256(name.encode()).hexdigest()[:10]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class Exercise(models.Model):
    """One movement in the library, with its coaching content.

    List fields (purpose, cues, faults, equipment, variations) hold one point
    per line, so they stay easy to edit in the admin.
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(max_length=300)
    purpose = models.TextField(help_text="Why we do it: one point per line.")
    cues = models.TextField("coaching cues", help_text="One cue per line.")
    faults = models.TextField("common faults", help_text="One fault per line.")
    equipment = models.TextField(blank=True, help_text="One item per line; blank for none.")
    variations = models.TextField(
        "variations and regressions", blank=True, help_text="One per line."
    )
    is_loaded = models.BooleanField(
        "loaded", default=False, help_text="Uses an external load (kettlebell, bar, cable, band)."
    )
    regression = models.TextField(
        "easier option",
        blank=True,
        help_text="What to do instead when this exercise flares the back up: shown to the "
        "client after a red session.",
    )
    video_url = models.URLField(blank=True, help_text="YouTube or Vimeo link.")
    video_start_seconds = models.PositiveIntegerField(
        "technique breakdown at (seconds)",
        null=True,
        blank=True,
        help_text="Second at which the technique breakdown starts; the player jumps there.",
    )
    # The studio's own clip, per exercise: it shows the movement, which is the same at
    # whichever stage of whichever progression uses it.
    video = models.FileField(
        upload_to=media_name, blank=True, max_length=200, help_text="MP4 or WebM."
    )
    video_type = models.CharField(max_length=20, blank=True, editable=False)
    poster = models.FileField(
        upload_to=media_name,
        blank=True,
        max_length=200,
        help_text="A still shown before play: stored as a WebP of at most 10 KB.",
    )
    captions = models.FileField(
        upload_to=media_name, blank=True, max_length=200, help_text="WebVTT captions."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("exercises:exercise_detail", kwargs={"slug": self.slug})

    @property
    def purpose_points(self) -> list[str]:
        return _lines(self.purpose)

    @property
    def cue_points(self) -> list[str]:
        return _lines(self.cues)

    @property
    def fault_points(self) -> list[str]:
        return _lines(self.faults)

    @property
    def equipment_items(self) -> list[str]:
        return _lines(self.equipment)

    @property
    def variation_points(self) -> list[str]:
        return _lines(self.variations)

    @property
    def video_embed_url(self) -> str:
        return video_embed_url(self.video_url, self.video_start_seconds)

    def _served(self, field: FieldFile, view: str) -> str:
        return reverse(view, kwargs={"slug": self.slug}) + f"?v={media_version(field.name or '')}"

    @property
    def video_src(self) -> str:
        """Where the player fetches the video: our Range view, or the remote store itself."""
        if not self.video:
            return ""
        if serves_itself(self.video.storage):
            return self._served(self.video, "exercises:exercise_video")
        return str(self.video.storage.url(self.video.name))

    @property
    def poster_src(self) -> str:
        return self._served(self.poster, "exercises:exercise_poster") if self.poster else ""

    @property
    def captions_src(self) -> str:
        return self._served(self.captions, "exercises:exercise_captions") if self.captions else ""

    @property
    def technique_clock(self) -> str:
        """'0:25': when the technique breakdown starts, as the player shows it."""
        return clock(self.video_start_seconds) if self.video_start_seconds else ""


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def video_embed_url(url: str, start: int | None) -> str:
    """The privacy-friendly embed address for a YouTube or Vimeo link, or ''."""
    if not url:
        return ""
    parsed = urlparse(url)
    host = (parsed.hostname or "").removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if parsed.path == "/watch":
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parsed.path.split("/")[2]
    elif host == "youtu.be":
        video_id = parsed.path.lstrip("/")
    if video_id:
        if not _YOUTUBE_ID.match(video_id):
            return ""
        query = f"?start={start}" if start else ""
        return f"https://www.youtube-nocookie.com/embed/{video_id}{query}"
    if host == "vimeo.com":
        vimeo_id = parsed.path.strip("/").split("/")[0]
        if vimeo_id.isdigit():
            fragment = f"#t={start}s" if start else ""
            return f"https://player.vimeo.com/video/{vimeo_id}{fragment}"
    return ""


class Progression(models.Model):
    """An ordered set of stages a client works through."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField()

    def __str__(self) -> str:
        return self.name


# The studio's own progression, seeded by migration 0002: the one coaches assign from.
DEFAULT_PROGRESSION = "hip-hinge"


class StageQuerySet(models.QuerySet["Stage"]):
    def in_order(self) -> StageQuerySet:
        return self.select_related("exercise").order_by("progression_id", "position")

    def default_progression(self) -> StageQuerySet:
        return self.filter(progression__slug=DEFAULT_PROGRESSION)


class Stage(models.Model):
    """A position in a progression, with its prescription and gate thresholds."""

    progression = models.ForeignKey(Progression, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(help_text="1 is the first stage.")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="stages")
    sets = models.PositiveSmallIntegerField(default=3)
    reps = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Repetitions per set (leave blank for a timed hold)."
    )
    seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Seconds per set, for held or timed exercises."
    )
    green_days_needed = models.PositiveSmallIntegerField(
        default=3,
        help_text="Green days in a row (each decided by its next-morning check-in) to be ready.",
    )
    green_floor = models.PositiveSmallIntegerField(
        default=2,
        help_text=(
            "Pain during and after up to this (0-10), or up to the client's pain before if "
            "higher, can still be green."
        ),
    )
    amber_ceiling = models.PositiveSmallIntegerField(
        default=5,
        help_text="Highest pain during or after (0-10) that is amber; above it is red. At most 5.",
    )
    technique_signoff_required = models.BooleanField(
        default=False, help_text="A coach must sign off technique before a client enters."
    )

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["progression", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["progression", "position"], name="stage_unique_position"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="stage_position_from_1"),
            models.CheckConstraint(condition=Q(sets__gte=1), name="stage_sets_positive"),
            models.CheckConstraint(
                condition=(Q(reps__isnull=False, reps__gte=1) & Q(seconds__isnull=True))
                | (Q(reps__isnull=True) & Q(seconds__isnull=False, seconds__gte=1)),
                name="stage_reps_or_seconds",
            ),
            models.CheckConstraint(
                condition=Q(green_days_needed__gte=1), name="stage_green_days_positive"
            ),
            models.CheckConstraint(
                condition=Q(green_floor__lt=F("amber_ceiling"), amber_ceiling__lte=5),
                name="stage_pain_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.exercise.name}"

    @property
    def prescription(self) -> str:
        return volume_text(self.sets, self.reps, self.seconds)

    @property
    def is_loaded(self) -> bool:
        return self.exercise.is_loaded


def stage_neighbours(
    stages: Sequence[Stage], stage_id: int
) -> tuple[Stage, Stage | None, Stage | None]:
    """A stage with the one before and the one after it, from its progression's stages in order."""
    index = next(i for i, s in enumerate(stages) if s.pk == stage_id)
    previous = stages[index - 1] if index > 0 else None
    following = stages[index + 1] if index + 1 < len(stages) else None
    return stages[index], previous, following

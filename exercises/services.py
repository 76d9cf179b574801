"""Writes for the exercise library: a coach or the studio changes an exercise's media."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.base import ContentFile, File
from django.db import transaction

from exercises.media import VIDEO_TYPES
from exercises.models import Exercise

MEDIA_FIELDS = ("video", "poster", "captions")


@dataclass
class MediaChange:
    """What a coach asked for, already checked: new files, removals and the chapter time."""

    video: File[bytes] | None = None
    video_type: str = ""
    poster_webp: bytes | None = None
    captions_text: str | None = None
    technique_at: int | None = None
    remove: set[str] = field(default_factory=set)


def _forget(names: list[str | None], exercise: Exercise) -> None:
    """Delete replaced files once the change is committed (a rollback keeps them)."""
    storage = exercise.video.storage
    doomed: list[str] = [name for name in names if name]

    def delete() -> None:
        for name in doomed:
            storage.delete(name)

    if doomed:
        transaction.on_commit(delete)


@transaction.atomic
def update_media(*, exercise: Exercise, change: MediaChange) -> Exercise:
    """Store new media for an exercise and drop what it replaces or removes."""
    locked = Exercise.objects.select_for_update().get(pk=exercise.pk)
    replaced: list[str | None] = []
    for name in change.remove:
        current = getattr(locked, name)
        if name in MEDIA_FIELDS and current:
            replaced.append(current.name)
            setattr(locked, name, "")
            if name == "video":
                locked.video_type = ""
    if change.video is not None:
        replaced.append(locked.video.name)
        locked.video.save(f"video.{VIDEO_TYPES[change.video_type]}", change.video, save=False)
        locked.video_type = change.video_type
    if change.poster_webp is not None:
        replaced.append(locked.poster.name)
        locked.poster.save("poster.webp", ContentFile(change.poster_webp), save=False)
    if change.captions_text is not None:
        replaced.append(locked.captions.name)
        captions = ContentFile(change.captions_text.encode())
        locked.captions.save("captions.vtt", captions, save=False)
    locked.video_start_seconds = change.technique_at
    locked.save()
    _forget(replaced, locked)
    return locked


def forget_replaced(*, before: Exercise | None, after: Exercise) -> None:
    """After an admin save: delete the files the new values replaced."""
    if before is None:
        return
    _forget(
        [
            getattr(before, name).name
            for name in MEDIA_FIELDS
            if getattr(before, name).name != getattr(after, name).name
        ],
        after,
    )

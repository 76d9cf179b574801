"""Forms of the exercise library: choosing a stage, and an exercise's media."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model

from exercises import media
from exercises.models import Exercise, Stage, StageQuerySet
from exercises.services import MediaChange


def stage_choices() -> StageQuerySet:
    return Stage.objects.in_order().default_progression()


# Larger than any row id here, and an integer every database takes: an id beyond it is
# refused as a wrong choice before it reaches the database (SQLite overflows on it).
MAX_ROW_ID = 2**31 - 1


def is_row_id(value: object) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= MAX_ROW_ID


class RowChoiceField[M: Model](forms.ModelChoiceField[M]):
    """A choice of one row, by id; anything but a plausible id is simply not a choice."""

    def to_python(self, value: Any) -> M | None:
        if value not in self.empty_values and not isinstance(value, Model) and not is_row_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class RowMultipleChoiceField[M: Model](forms.ModelMultipleChoiceField[M]):
    """A choice of rows, by id, with the same guard."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else []:
            if not is_row_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class StageChoiceField(RowChoiceField[Stage]):
    def label_from_instance(self, obj: Stage) -> str:
        return f"{obj.position}. {obj.exercise.name}"


def technique_seconds(value: str) -> int | None:
    """'0:25', '25' or '1:02:03' as seconds; blank for none."""
    text = value.strip()
    if not text:
        return None
    parts = text.split(":")
    if len(parts) > 3 or not all(p.isdigit() for p in parts):
        raise forms.ValidationError("Give the time as minutes and seconds, like 0:25")
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    if seconds > 6 * 3600:
        raise forms.ValidationError("That time is longer than any coaching video")
    return seconds


def video_max_mb() -> int:
    return int(getattr(settings, "EXERCISE_VIDEO_MAX_MB", media.DEFAULT_VIDEO_MAX_MB))


def checked_video(upload: UploadedFile[bytes]) -> str:
    """The upload's MIME type from its content; it is renamed video.<ext> to match."""
    media.check_video_size(upload.size or 0, video_max_mb())
    upload.seek(0)
    kind = media.video_type(upload.read(8192))
    upload.seek(0)
    return kind


class ExerciseMediaForm(forms.Form):
    """A coach's upload: each file is checked by what it contains, not by its name."""

    video = forms.FileField(
        label="Video (MP4 or WebM)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm"}),
    )
    poster = forms.FileField(
        label="Poster image",
        required=False,
        help_text="A still of the movement (JPEG, PNG or WebP): we make a small WebP of it.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    captions = forms.FileField(
        label="Captions (WebVTT)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
    technique_at = forms.CharField(
        label="Technique breakdown starts at",
        required=False,
        max_length=8,
        help_text="Minutes and seconds, like 0:25. The player has a button that jumps there.",
    )
    remove_video = forms.BooleanField(label="Remove the video", required=False)
    remove_poster = forms.BooleanField(label="Remove the poster", required=False)
    remove_captions = forms.BooleanField(label="Remove the captions", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.change = MediaChange()

    def clean_video(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("video")
        if upload is not None:
            try:
                self.change.video_type = checked_video(upload)
            except media.MediaError as exc:
                raise forms.ValidationError(str(exc)) from exc
            self.change.video = upload
        return upload

    def clean_poster(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("poster")
        if upload is not None:
            try:
                self.change.poster_webp = media.make_poster(upload.read())
            except media.MediaError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return upload

    def clean_captions(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("captions")
        if upload is not None:
            try:
                self.change.captions_text = media.check_captions(upload.read())
            except media.MediaError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return upload

    def clean_technique_at(self) -> int | None:
        seconds = technique_seconds(self.cleaned_data.get("technique_at", ""))
        self.change.technique_at = seconds
        return seconds

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.change.remove = {
            name for name in ("video", "poster", "captions") if data.get(f"remove_{name}")
        }
        return data


class ExerciseAdminForm(forms.ModelForm[Exercise]):
    """The admin's form for an exercise: the same checks as the coach's page."""

    class Meta:
        model = Exercise
        fields = [
            "name",
            "slug",
            "summary",
            "purpose",
            "cues",
            "faults",
            "equipment",
            "variations",
            "regression",
            "is_loaded",
            "video_url",
            "video",
            "video_start_seconds",
            "poster",
            "captions",
        ]

    def clean_video(self) -> Any:
        upload = self.cleaned_data.get("video")
        if isinstance(upload, UploadedFile):
            try:
                kind = checked_video(upload)
            except media.MediaError as exc:
                raise forms.ValidationError(str(exc)) from exc
            self.instance.video_type = kind
            upload.name = f"video.{media.VIDEO_TYPES[kind]}"
        elif not upload:
            self.instance.video_type = ""
        return upload

    def clean_poster(self) -> Any:
        upload = self.cleaned_data.get("poster")
        if isinstance(upload, UploadedFile):
            try:
                return ContentFile(media.make_poster(upload.read()), name="poster.webp")
            except media.MediaError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return upload

    def clean_captions(self) -> Any:
        upload = self.cleaned_data.get("captions")
        if isinstance(upload, UploadedFile):
            try:
                text = media.check_captions(upload.read())
            except media.MediaError as exc:
                raise forms.ValidationError(str(exc)) from exc
            return ContentFile(text.encode(), name="captions.vtt")
        return upload

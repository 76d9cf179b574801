"""Form fields for choosing a stage of the studio's progression."""

from __future__ import annotations

from django import forms

from exercises.models import Stage, StageQuerySet


def stage_choices() -> StageQuerySet:
    return Stage.objects.in_order().default_progression()


class StageChoiceField(forms.ModelChoiceField[Stage]):
    def label_from_instance(self, obj: Stage) -> str:
        return f"{obj.position}. {obj.exercise.name}"

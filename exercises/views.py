from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from exercises.models import Exercise, Stage, stage_neighbours


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
        },
    )

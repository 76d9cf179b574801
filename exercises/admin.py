from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from exercises.forms import ExerciseAdminForm
from exercises.models import Exercise, Progression, Stage
from exercises.services import forget_replaced


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin[Exercise]):
    form = ExerciseAdminForm
    list_display = ["name", "is_loaded", "has_video"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "summary"]

    @admin.display(boolean=True, description="video")
    def has_video(self, obj: Exercise) -> bool:
        return bool(obj.video)

    def save_model(self, request: HttpRequest, obj: Exercise, form: Any, change: bool) -> None:
        before = Exercise.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        forget_replaced(before=before, after=obj)


class StageInline(admin.TabularInline[Stage, Progression]):
    model = Stage
    extra = 0
    ordering = ["position"]
    autocomplete_fields = ["exercise"]


@admin.register(Progression)
class ProgressionAdmin(admin.ModelAdmin[Progression]):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StageInline]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin[Stage]):
    list_display = [
        "position",
        "exercise",
        "progression",
        "sets",
        "reps",
        "seconds",
        "green_days_needed",
        "green_floor",
        "amber_ceiling",
        "technique_signoff_required",
    ]
    list_display_links = ["position", "exercise"]
    list_filter = ["progression"]
    list_select_related = ["exercise", "progression"]
    ordering = ["progression", "position"]

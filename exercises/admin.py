from django.contrib import admin

from exercises.models import Exercise, Progression, Stage


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin[Exercise]):
    list_display = ["name", "is_loaded", "video_url"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "summary"]


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

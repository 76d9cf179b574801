from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from clients.models import (
    Client,
    Prescription,
    SessionRevision,
    StageAssignment,
    TechniqueSignoff,
    TrainingSession,
)
from clients.services import ProgramError, advance_stage, regress_stage


class ReadOnlyInline(admin.TabularInline[Any, Any]):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AssignmentInline(ReadOnlyInline):
    model = StageAssignment
    fields = readonly_fields = (
        "assigned_at",
        "kind",
        "from_stage",
        "stage",
        "assigned_by",
        "reason",
    )


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin[Client]):
    list_display = ["__str__", "coach", "status", "started_on", "consented_at"]
    list_filter = ["status", "coach"]
    list_select_related = ["user", "coach"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    readonly_fields = ["consented_at", "consent_version"]
    raw_id_fields = ["user", "coach"]
    inlines = [AssignmentInline]
    actions = ["advance", "regress"]

    def _run(self, request: HttpRequest, queryset: QuerySet[Client], action: Any) -> None:
        for client in queryset:
            try:
                row = action(client=client, by=request.user, reason="")
            except ProgramError as exc:
                self.message_user(request, f"{client}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{client}: now on {row.stage}.", messages.SUCCESS)

    @admin.action(description="Advance to the next stage (only when READY)")
    def advance(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        self._run(request, queryset, advance_stage)

    @admin.action(description="Regress one stage")
    def regress(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        self._run(request, queryset, regress_stage)


@admin.register(StageAssignment)
class StageAssignmentAdmin(admin.ModelAdmin[StageAssignment]):
    """History: visible, never edited or deleted here."""

    list_display = ["assigned_at", "client", "kind", "from_stage", "stage", "assigned_by"]
    list_filter = ["kind"]
    list_select_related = ["client__user", "stage__exercise", "from_stage__exercise", "assigned_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RevisionInline(ReadOnlyInline):
    model = SessionRevision
    fields = readonly_fields = ("revised_at", "previous_values")


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin[TrainingSession]):
    list_display = [
        "performed_on",
        "client",
        "stage",
        "pain_before",
        "pain_during",
        "next_day_pain",
    ]
    list_select_related = ["client__user", "stage__exercise"]
    list_filter = ["stage"]
    date_hierarchy = "performed_on"
    raw_id_fields = ["client"]
    inlines = [RevisionInline]


@admin.register(TechniqueSignoff)
class TechniqueSignoffAdmin(admin.ModelAdmin[TechniqueSignoff]):
    list_display = ["signed_at", "client", "stage", "coach"]
    list_select_related = ["client__user", "stage__exercise", "coach"]
    raw_id_fields = ["client", "coach"]


@admin.register(Prescription)
class PrescriptionAdmin(admin.ModelAdmin[Prescription]):
    list_display = ["client", "stage", "sets", "reps", "seconds", "target_load_kg"]
    list_select_related = ["client__user", "stage__exercise"]
    raw_id_fields = ["client"]

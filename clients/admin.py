from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

import clients.audit.admin  # noqa: F401  (registers the audit trail)
from clients import gate
from clients.models import (
    CheckIn,
    Client,
    Prescription,
    SessionRevision,
    StageAssignment,
    TechniqueSignoff,
    TrainingSession,
)
from clients.program.services import advance_stage, regress_stage, set_client_state
from clients.services import (
    CORRECTABLE_FIELDS,
    ProgramError,
    correct_session,
    correction_problem,
    set_time_zone,
)
from clients.tasks import recompute_stage
from exercises.admin import StageAdmin
from exercises.models import Stage

if TYPE_CHECKING:
    from coaching.accounts.models import User

GATE_FIELDS = {"green_days_needed", "green_floor", "amber_ceiling", "technique_signoff_required"}


def _acting(request: HttpRequest) -> User:
    """Who is making a change here: the admin site lets in only logged-in staff."""
    user = request.user
    assert user.is_authenticated
    return user


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


class ClientAdminForm(forms.ModelForm[Client]):
    """The admin builds the form's fields (ModelAdmin.get_form); this adds the zone's check."""

    def clean_time_zone(self) -> str:
        zone: str = self.cleaned_data["time_zone"].strip()
        if zone and zone not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                "Enter a time zone by its IANA name, such as Europe/London or America/New_York"
            )
        return zone


class SessionCorrectionForm(forms.ModelForm[TrainingSession]):
    """The studio's correction, checked by the service's own rule before anything is saved."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk and not self.errors:
            values = {name: data[name] for name in self.changed_data if name in data}
            problem = correction_problem(
                session=self.instance, client=self.instance.client, values=values, any_day=True
            )
            if problem:
                raise forms.ValidationError(problem)
        return data


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin[Client]):
    list_display = ["__str__", "coach", "status", "started_on", "consented_at"]
    list_filter = ["status", "coach"]
    list_select_related = ["user", "coach"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    readonly_fields = [
        "consented_at",
        "consent_version",
        "stage",
        "stage_entered_on",
        "last_session_on",
        "gate_status",
        "gate_reasons",
        "gate_suggestion",
        "gate_green_days",
        "gate_green_days_needed",
        "gate_since",
        "gate_computed_on",
        "flare_episode_since",
        "flare_left_on",
        "seen_assignment",
    ]
    raw_id_fields = ["user", "coach"]
    inlines = [AssignmentInline]
    actions = ["advance", "regress"]
    form = ClientAdminForm

    def save_model(self, request: HttpRequest, obj: Client, form: Any, change: bool) -> None:
        """A change of state or zone goes through its service (history, adherence, gate)."""
        through_services = {"status", "time_zone"} & set(form.changed_data) if change else set()
        wanted = {name: getattr(obj, name) for name in through_services}
        for name in through_services:
            setattr(obj, name, form.initial[name])
        super().save_model(request, obj, form, change)
        if "status" in wanted:
            obj = set_client_state(client=obj, state=wanted["status"], by=_acting(request))
        if "time_zone" in wanted:
            if wanted["time_zone"]:
                obj = set_time_zone(client=obj, time_zone=wanted["time_zone"])
            else:
                Client.objects.filter(pk=obj.pk).update(time_zone="")
                gate.refresh(gate.lock(obj.pk))

    def _run(self, request: HttpRequest, queryset: QuerySet[Client], action: Any) -> None:
        for client in queryset:
            try:
                row = action(client=client, by=_acting(request), reason="")
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
    fk_name = "session"
    fields = readonly_fields = ("revised_at", "revised_by", "previous_values")


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin[TrainingSession]):
    """Sessions come from clients; the studio may correct one, through the correction service."""

    list_display = [
        "performed_on",
        "client",
        "stage",
        "light",
        "pain_before",
        "pain_during",
        "pain_after",
        "next_day_pain",
    ]
    list_select_related = ["client__user", "stage__exercise"]
    list_filter = ["stage", "light"]
    date_hierarchy = "performed_on"
    fields = [
        "client",
        "stage",
        "logged_at",
        "time_zone",
        *CORRECTABLE_FIELDS,
        "next_day_pain",
        "light",
        "light_reasons",
        "decided_at",
        "decided_with",
        "red_known_on",
    ]
    readonly_fields = [
        "client",
        "stage",
        "logged_at",
        "time_zone",
        "next_day_pain",
        "light",
        "light_reasons",
        "decided_at",
        "decided_with",
        "red_known_on",
    ]
    inlines = [RevisionInline]
    form = SessionCorrectionForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: TrainingSession, form: Any, change: bool
    ) -> None:
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        if values:
            correct_session(session=obj, values=values, by=_acting(request), any_day=True)


@admin.register(TechniqueSignoff)
class TechniqueSignoffAdmin(admin.ModelAdmin[TechniqueSignoff]):
    """Sign-offs are given by coaches in the app, where the gate sees them at once."""

    list_display = ["signed_at", "client", "stage", "coach"]
    list_select_related = ["client__user", "stage__exercise", "coach"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin[CheckIn]):
    list_display = ["training_day", "client", "pain", "answered_at"]
    list_select_related = ["client__user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class GatedStageAdmin(StageAdmin):
    """The library's stage admin, plus: a threshold edit recomputes every client at the stage."""

    def save_model(self, request: HttpRequest, obj: Stage, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and set(form.changed_data) & GATE_FIELDS:
            stage_id = obj.pk
            transaction.on_commit(lambda: recompute_stage.enqueue(stage_id))


admin.site.unregister(Stage)
admin.site.register(Stage, GatedStageAdmin)


@admin.register(Prescription)
class PrescriptionAdmin(admin.ModelAdmin[Prescription]):
    list_display = ["client", "stage", "sets", "reps", "seconds", "target_load_kg"]
    list_select_related = ["client__user", "stage__exercise"]
    raw_id_fields = ["client"]

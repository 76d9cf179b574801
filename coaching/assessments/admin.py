from django.contrib import admin

from coaching.assessments.models import BookingRules, WaitlistEntry


@admin.register(BookingRules)
class BookingRulesAdmin(admin.ModelAdmin[BookingRules]):
    """The one row of studio-wide booking rules."""

    list_display = [
        "__str__",
        "slot_minutes",
        "buffer_minutes",
        "min_notice_hours",
        "reschedule_cutoff_hours",
        "horizon_days",
    ]

    def has_add_permission(self, request: object) -> bool:
        return not BookingRules.objects.exists()

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin[WaitlistEntry]):
    """Who is waiting, first in line first (entries are deleted after 30 days)."""

    list_display = ["email", "time_zone", "created_at"]
    readonly_fields = ["created_at"]

from django.contrib import admin

from coaching.assessments.models import BookingRules


@admin.register(BookingRules)
class BookingRulesAdmin(admin.ModelAdmin[BookingRules]):
    """The one row of studio-wide booking rules."""

    list_display = ["__str__", "slot_minutes", "buffer_minutes", "min_notice_hours", "horizon_days"]

    def has_add_permission(self, request: object) -> bool:
        return not BookingRules.objects.exists()

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

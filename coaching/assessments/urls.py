"""The free assessment: the visitor's pages and the coach's."""

from django.urls import path

from coaching.assessments import coach_views, manage_views, views, waitlist_views

urlpatterns = [
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/book/", views.book, name="book"),
    path("assessment/contact/", views.contact_request, name="contact_request"),
    path("assessment/waitlist/", waitlist_views.waitlist, name="waitlist"),
    path("assessment/hold/<str:token>/", waitlist_views.confirm_hold_page, name="confirm_hold"),
    path(
        "assessment/manage/<str:token>/", manage_views.manage_assessment, name="manage_assessment"
    ),
    path(
        "assessment/manage/<str:token>/assessment.ics",
        manage_views.assessment_ics,
        name="assessment_ics",
    ),
    path(
        "assessment/outcome/<str:token>/", manage_views.outcome_page, name="assessment_outcome_page"
    ),
    path("coach/assessments/", coach_views.coach_assessments_page, name="coach_assessments"),
    path(
        "coach/assessments/<int:assessment_id>/status/",
        coach_views.assessment_status,
        name="assessment_status",
    ),
    path(
        "coach/assessments/<int:assessment_id>/outcome/",
        coach_views.assessment_outcome,
        name="assessment_outcome",
    ),
    path(
        "coach/assessments/<int:assessment_id>/start/",
        coach_views.assessment_start_program,
        name="assessment_start_program",
    ),
    path(
        "coach/assessments/calendar-link/",
        coach_views.calendar_feed_link,
        name="calendar_feed_link",
    ),
    path(
        "coach/assessments/contacts/<int:request_id>/done/",
        coach_views.contact_request_done,
        name="contact_request_done",
    ),
    path("coach/calendar/<str:token>.ics", coach_views.calendar_feed, name="calendar_feed"),
    path("coach/availability/", coach_views.availability, name="availability"),
    path("coach/availability/row/", coach_views.availability_row, name="availability_row"),
    path(
        "coach/availability/preview/",
        coach_views.availability_preview,
        name="availability_preview",
    ),
]

"""The free assessment: the visitor's pages and the coach's."""

from django.urls import path

from coaching.assessments import views
from coaching.assessments.views import coach, manage, waitlist

urlpatterns = [
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/book/", views.book, name="book"),
    path("assessment/contact/", views.contact_request, name="contact_request"),
    path("assessment/waitlist/", waitlist.waitlist, name="waitlist"),
    path("assessment/hold/<str:token>/", waitlist.confirm_hold_page, name="confirm_hold"),
    path("assessment/manage/<str:token>/", manage.manage_assessment, name="manage_assessment"),
    path(
        "assessment/manage/<str:token>/assessment.ics",
        manage.assessment_ics,
        name="assessment_ics",
    ),
    path("assessment/outcome/<str:token>/", manage.outcome_page, name="assessment_outcome_page"),
    path("coach/assessments/", coach.coach_assessments_page, name="coach_assessments"),
    path(
        "coach/assessments/<int:assessment_id>/status/",
        coach.assessment_status,
        name="assessment_status",
    ),
    path(
        "coach/assessments/<int:assessment_id>/outcome/",
        coach.assessment_outcome,
        name="assessment_outcome",
    ),
    path(
        "coach/assessments/<int:assessment_id>/start/",
        coach.assessment_start_program,
        name="assessment_start_program",
    ),
    path(
        "coach/assessments/calendar-link/",
        coach.calendar_feed_link,
        name="calendar_feed_link",
    ),
    path(
        "coach/assessments/contacts/<int:request_id>/done/",
        coach.contact_request_done,
        name="contact_request_done",
    ),
    path("coach/calendar/<str:token>.ics", coach.calendar_feed, name="calendar_feed"),
    path("coach/availability/", coach.availability, name="availability"),
    path("coach/availability/row/", coach.availability_row, name="availability_row"),
    path(
        "coach/availability/preview/",
        coach.availability_preview,
        name="availability_preview",
    ),
]

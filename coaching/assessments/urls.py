"""The free assessment: the visitor's pages and the coach's."""

from django.urls import path

from coaching.assessments import views

urlpatterns = [
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/book/", views.book, name="book"),
    path("assessment/manage/<str:token>/", views.manage_assessment, name="manage_assessment"),
    path("coach/assessments/", views.coach_assessments_page, name="coach_assessments"),
    path(
        "coach/assessments/<int:assessment_id>/status/",
        views.assessment_status,
        name="assessment_status",
    ),
    path(
        "coach/assessments/<int:assessment_id>/outcome/",
        views.assessment_outcome,
        name="assessment_outcome",
    ),
    path(
        "coach/assessments/<int:assessment_id>/start/",
        views.assessment_start_program,
        name="assessment_start_program",
    ),
    path("coach/availability/", views.availability, name="availability"),
]

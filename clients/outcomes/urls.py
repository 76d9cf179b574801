"""The client's outcome measures, included under /me/ by clients.urls."""

from django.urls import path

from clients.outcomes import views

urlpatterns = [
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes/activities/", views.answer_psfs, name="answer_psfs"),
    path("outcomes/week/", views.rate_week, name="rate_week"),
]

"""Privacy pages: the notice (export and erasure join it here)."""

from django.urls import path

from coaching.privacy import views

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
]

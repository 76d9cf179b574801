"""The root URLs: the studio's own pages (namespace "coaching"), then each app's."""

from django.contrib import admin
from django.urls import include, path

from coaching import views
from coaching.assessments import urls as assessment_urls
from coaching.coach import urls as coach_urls
from coaching.privacy import urls as privacy_urls

studio_patterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    *assessment_urls.urlpatterns,
    *coach_urls.urlpatterns,
    *privacy_urls.urlpatterns,
]

urlpatterns = [
    path("", include((studio_patterns, "coaching"))),
    path("exercises/", include("exercises.urls")),
    path("me/", include("clients.urls")),
    path("accounts/", include("coaching.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("clients.pwa.urls")),
]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from coaching import views

studio_patterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("coach/", views.dashboard, name="dashboard"),
]

urlpatterns = [
    path("", include((studio_patterns, "coaching"))),
    path("exercises/", include("exercises.urls")),
    path("me/", include("clients.urls")),
    path(
        "accounts/login/",
        views.StudioLoginView.as_view(),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt"
        ),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

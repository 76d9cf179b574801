from django.urls import path

from clients import views

app_name = "clients"
urlpatterns = [
    path("", views.today, name="today"),
    path("log/", views.log_session, name="log_session"),
    path("log/<int:session_id>/", views.edit_session, name="edit_session"),
    path("check-in/", views.check_in, name="check_in"),
    path("progress/", views.progress, name="progress"),
    path("consent/", views.give_consent, name="give_consent"),
    path("settings/", views.settings_page, name="settings_page"),
    path("settings/zone/", views.browser_zone, name="browser_zone"),
    path("emergency/", views.emergency, name="emergency"),
    path("notice/", views.dismiss_notice, name="dismiss_notice"),
]

from django.urls import include, path

from clients import views
from clients.messages import urls as message_urls
from clients.outcomes import urls as outcome_urls
from clients.reminders import urls as reminder_urls

app_name = "clients"
urlpatterns = [
    path("", views.today, name="today"),
    path("log/", views.log_session, name="log_session"),
    path("log/<int:session_id>/", views.edit_session, name="edit_session"),
    path("check-in/", views.check_in, name="check_in"),
    path("progress/", views.progress, name="progress"),
    path("sheet/", views.stage_sheet, name="stage_sheet"),
    path("consent/", views.give_consent, name="give_consent"),
    path("settings/", views.settings_page, name="settings_page"),
    path("settings/zone/", views.browser_zone, name="browser_zone"),
    path("emergency/", views.emergency, name="emergency"),
    path("notice/", views.dismiss_notice, name="dismiss_notice"),
    path("", include(reminder_urls)),
    path("", include(message_urls)),
    path("", include(outcome_urls)),
]

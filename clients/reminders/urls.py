from django.urls import path

from clients.reminders import views

urlpatterns = [
    path("settings/reminders/", views.save_reminder_settings, name="save_reminder_settings"),
    path("reminders/stop/", views.unsubscribe_page, name="unsubscribe"),
]

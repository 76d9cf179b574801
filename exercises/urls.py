from django.urls import path

from exercises import views

app_name = "exercises"
urlpatterns = [
    path("", views.exercise_list, name="exercise_list"),
    path("<slug:slug>/", views.exercise_detail, name="exercise_detail"),
    path("<slug:slug>/media/", views.exercise_media, name="exercise_media"),
    path("<slug:slug>/video/", views.exercise_video, name="exercise_video"),
    path("<slug:slug>/poster.webp", views.exercise_poster, name="exercise_poster"),
    path("<slug:slug>/captions.vtt", views.exercise_captions, name="exercise_captions"),
]

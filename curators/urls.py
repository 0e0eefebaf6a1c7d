from django.urls import path

from . import views

app_name = "curators"

urlpatterns = [
    path("", views.assignment_list, name="assignment_list"),
    path("queue/", views.queue, name="queue"),
]

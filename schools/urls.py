from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("<uuid:public_id>/", views.school_detail, name="school_detail"),
]

from django.urls import path

from rapport.web import views

app_name = "web"

urlpatterns = [
    path("", views.today, name="today"),
    path("insights/", views.insights, name="insights"),
    path("coach/", views.coach, name="coach"),
    path("coach/review/", views.coach_review, name="coach_review"),
    path("health/", views.health, name="health"),
]

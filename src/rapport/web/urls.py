from django.urls import path

from rapport.web import views

app_name = "web"

urlpatterns = [
    path("", views.today, name="today"),
    path("insights/", views.insights, name="insights"),
    path("health/", views.health, name="health"),
]

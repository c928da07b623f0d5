"""The import pages' URLs, included in the contacts namespace by contacts/urls.py."""

from django.urls import path

from rapport.contacts import import_views

urlpatterns = [
    path("contacts/import/", import_views.import_start, name="import"),
    path("contacts/import/<str:pending_id>/", import_views.import_preview, name="import_preview"),
]

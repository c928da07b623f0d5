from django.urls import include, path

urlpatterns = [
    path("", include("rapport.web.urls")),
    path("", include("rapport.accounts.urls")),
    path("", include("rapport.contacts.urls")),
    path("", include("rapport.outreach.urls")),
    path("", include("rapport.meetings.urls")),
    path("", include("rapport.reminders.urls")),
    path("api/v1/", include("rapport.api.urls")),
]

handler404 = "rapport.web.errors.not_found"
handler500 = "rapport.web.errors.server_error"
handler403 = "rapport.web.errors.forbidden"
handler400 = "rapport.web.errors.bad_request"

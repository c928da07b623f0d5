from django.urls import path

from rapport.contacts import views

app_name = "contacts"

urlpatterns = [
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/<int:contact_id>/", views.contact_detail, name="contact_detail"),
    path("companies/", views.company_list, name="company_list"),
    path("companies/<int:company_id>/", views.company_detail, name="company_detail"),
]

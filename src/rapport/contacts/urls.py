from django.urls import path

from rapport.contacts import company_views, export_urls, import_urls, pipeline_views, views

app_name = "contacts"

urlpatterns = [
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/bulk/", views.contact_bulk, name="contact_bulk"),
    path("contacts/<int:contact_id>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:contact_id>/stage/", views.contact_stage, name="contact_stage"),
    path("contacts/<int:contact_id>/delete/", views.contact_delete, name="contact_delete"),
    path("companies/", company_views.company_list, name="company_list"),
    path("companies/new/", company_views.company_new, name="company_new"),
    path("companies/<int:company_id>/", company_views.company_detail, name="company_detail"),
    path("companies/<int:company_id>/edit/", company_views.company_edit, name="company_edit"),
    path("companies/<int:company_id>/delete/", company_views.company_delete, name="company_delete"),
    path("pipeline/", pipeline_views.pipeline, name="pipeline"),
]
urlpatterns += export_urls.urlpatterns
urlpatterns += import_urls.urlpatterns

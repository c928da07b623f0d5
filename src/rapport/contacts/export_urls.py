"""Export downloads, added to the contacts URLconf (namespace `contacts`)."""

from django.urls import path

from rapport.contacts import export_views

urlpatterns = [
    path("contacts/export/contacts.csv", export_views.contacts_csv, name="export_contacts_csv"),
    path("contacts/export/companies.csv", export_views.companies_csv, name="export_companies_csv"),
    path("contacts/export/contacts.vcf", export_views.contacts_vcard, name="export_contacts_vcf"),
]

"""Downloads of the signed-in user's contacts and companies (CSV, vCard), streamed."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rapport.contacts import exports
from rapport.core.http import AuthenticatedHttpRequest

CSV_TYPE = "text/csv; charset=utf-8"
VCARD_TYPE = "text/vcard; charset=utf-8"


def _download(chunks: Iterator[str], *, name: str, content_type: str) -> StreamingHttpResponse:
    """An attachment named with today's date in the viewer's zone, e.g.
    `rapport-contacts-2025-03-14.csv` (plain ASCII, so it needs no RFC 5987 quoting)."""
    stem, extension = name.rsplit(".", 1)
    filename = f"rapport-{stem}-{timezone.localdate().isoformat()}.{extension}"
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@never_cache
def contacts_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    contacts = exports.contacts_for_export(owner=request.user)
    return _download(exports.contacts_csv(contacts), name="contacts.csv", content_type=CSV_TYPE)


@require_GET
@never_cache
def companies_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    companies = exports.companies_for_export(owner=request.user)
    return _download(exports.companies_csv(companies), name="companies.csv", content_type=CSV_TYPE)


@require_GET
@never_cache
def contacts_vcard(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    contacts = exports.contacts_for_export(owner=request.user)
    return _download(exports.contacts_vcard(contacts), name="contacts.vcf", content_type=VCARD_TYPE)

"""The import pages: upload a file, map its columns (other CSV), preview, confirm."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from rapport.contacts import imports
from rapport.contacts.import_forms import ColumnMappingForm, ImportUploadForm
from rapport.contacts.import_pending import (
    PendingImport,
    pending_data,
    pending_delete,
    pending_get,
    pending_save,
    pending_set_mapping,
)
from rapport.contacts.importers import (
    CSV,
    FIELD_LABELS,
    KINDS,
    MAX_FILE_BYTES,
    BadFileError,
    Parsed,
    csv_columns,
    guess_mapping,
    parse,
    read_limited,
)
from rapport.core.errors import RapportError
from rapport.core.http import AuthenticatedHttpRequest

# Room for the form's other fields and the multipart framing around the file.
FORM_OVERHEAD_BYTES = 64 * 1024


class UploadSizeGuard(FileUploadHandler):
    """Stops reading an upload as soon as it is known to be over the limit, instead of
    spooling a 200 MB file to disk first. The fields before the file (the CSRF token, the
    kind) are still read, so the page can say what went wrong."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_big = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],  # noqa: N803 (Django's name for it)
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.too_big = content_length > self.limit + FORM_OVERHEAD_BYTES

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.too_big:
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.too_big = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


# CSRF is checked by the view inside, once the guard is in place: Django's middleware would
# read (and store) the whole upload before any view could set a handler.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def import_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    guard = UploadSizeGuard(request, MAX_FILE_BYTES)
    if request.method == "POST":
        request.upload_handlers = [guard, *request.upload_handlers]
    return _import_start(request, guard)


@csrf_protect
def _import_start(request: AuthenticatedHttpRequest, guard: UploadSizeGuard) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if guard.too_big:
            form.add_error("file", _too_big_message())
        elif form.is_valid():
            try:
                pending = _upload(request, form)
            except BadFileError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("contacts:import_preview", pending_id=pending.id)
    return render(request, "contacts/import.html", {"form": form})


def _too_big_message() -> str:
    return (
        f"The file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB, the most Rapport "
        "imports. A contacts export is far smaller; is this the right file?"
    )


def _upload(request: AuthenticatedHttpRequest, form: ImportUploadForm) -> PendingImport:
    """Check the file can be read before keeping it, so a wrong file is refused at once."""
    upload = form.cleaned_data["file"]
    kind = form.cleaned_data["kind"]
    data = read_limited(upload)
    if kind == CSV:
        csv_columns(data)
    else:
        parse(kind, data)
    return pending_save(owner=request.user, kind=kind, filename=upload.name, data=data)


@require_http_methods(["GET", "POST"])
def import_preview(request: AuthenticatedHttpRequest, pending_id: str) -> HttpResponse:
    pending = _pending_or_404(request, pending_id)
    action = request.POST.get("action", "") if request.method == "POST" else "show"
    if action == "cancel":
        pending_delete(pending)
        messages.info(request, "Import cancelled. Nothing was changed.")
        return redirect("contacts:import")
    if action == "map":
        return _map_columns(request, pending)
    if pending.kind == CSV and not pending.mapping_confirmed:
        return _mapping_page(request, pending, initial=pending.mapping or None)
    parsed = _parsed_or_restart(request, pending)
    if parsed is None:
        return redirect("contacts:import")
    if action == "confirm":
        return _confirm(request, pending, parsed)
    report = imports.import_preview(owner=request.user, rows=parsed.rows)
    return render(
        request, "contacts/import_preview.html", _preview_context(pending, parsed, report)
    )


def _pending_or_404(request: AuthenticatedHttpRequest, pending_id: str) -> PendingImport:
    try:
        return pending_get(owner=request.user, pending_id=pending_id)
    except RapportError as exc:
        raise Http404(exc.message) from exc


def _parsed_or_restart(request: AuthenticatedHttpRequest, pending: PendingImport) -> Parsed | None:
    try:
        return parse(pending.kind, pending_data(pending), pending.mapping)
    except RapportError as exc:  # the file is gone, or no longer reads (a changed parser)
        pending_delete(pending)
        messages.error(request, exc.message)
        return None


def _confirm(
    request: AuthenticatedHttpRequest, pending: PendingImport, parsed: Parsed
) -> HttpResponse:
    report = imports.import_apply(owner=request.user, rows=parsed.rows, source=pending.kind)
    pending_delete(pending)
    messages.success(request, imports.import_sentence(report, parsed))
    return redirect("contacts:contact_list")


def _mapping_page(
    request: AuthenticatedHttpRequest,
    pending: PendingImport,
    *,
    initial: dict[str, str] | None = None,
    form: ColumnMappingForm | None = None,
) -> HttpResponse:
    columns = csv_columns(pending_data(pending))
    if form is None:
        form = ColumnMappingForm(initial=initial or guess_mapping(columns), columns=columns)
    context = {
        "step": "map",
        "pending": pending,
        "mapping_form": form,
        "kind_label": KINDS[pending.kind],
    }
    return render(request, "contacts/import_preview.html", context)


def _map_columns(request: AuthenticatedHttpRequest, pending: PendingImport) -> HttpResponse:
    columns = csv_columns(pending_data(pending))
    form = ColumnMappingForm(request.POST, columns=columns)
    if form.is_valid():
        try:
            parse(CSV, pending_data(pending), form.mapping())
        except BadFileError as exc:
            form.add_error(None, exc.message)
        else:
            pending_set_mapping(pending, form.mapping())
            return redirect("contacts:import_preview", pending_id=pending.id)
    return _mapping_page(request, pending, form=form)


def _preview_context(
    pending: PendingImport, parsed: Parsed, report: imports.ImportReport
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "step": "preview",
        "pending": pending,
        "kind_label": KINDS[pending.kind],
        "unit": parsed.unit,
        "counts": [
            ("New", report.new),
            ("Updated", report.updated),
            ("Unchanged", report.unchanged),
            ("Skipped", report.skipped + parsed.dropped),
        ],
        "problems": [
            (p.row, FIELD_LABELS.get(p.field, "—"), p.reason, p.skipped)
            for p in imports.import_problems(report, parsed)
        ],
        "updates": [o for o in report.outcomes if o.action is imports.Action.UPDATED],
        "changes_anything": report.changes_anything,
    }
    if pending.kind == CSV:
        columns = csv_columns(pending_data(pending))
        context["mapping_form"] = ColumnMappingForm(initial=pending.mapping, columns=columns)
    return context

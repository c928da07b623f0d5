"""The forms of the import pages: the upload, and the column mapping for other CSV files."""

from __future__ import annotations

from typing import Any

from django import forms

from rapport.contacts.importers import (
    FIELD_LABELS,
    KINDS,
    LINKEDIN,
    MAPPABLE_FIELDS,
    MAX_FILE_BYTES,
)

NOT_IN_FILE = ""


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of file",
        choices=list(KINDS.items()),
        initial=LINKEDIN,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label="File",
        help_text=f"Connections.csv, a .vcf or a .csv file of up to "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB. Nothing is saved until you confirm.",
    )


class ColumnMappingForm(forms.Form):
    """One select per field of Rapport's, offering the file's columns."""

    def __init__(self, *args: Any, columns: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NOT_IN_FILE, "(not in the file)"), *((c, c) for c in dict.fromkeys(columns))]
        for name in MAPPABLE_FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=FIELD_LABELS[name], choices=choices, required=False
            )
        self.fields["name"].help_text = "Used when the file has no first and last name columns."

    def mapping(self) -> dict[str, str]:
        return {name: column for name, column in self.cleaned_data.items() if column}

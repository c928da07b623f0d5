"""Forms for the contact, company and pipeline pages. They parse and validate input only;
saving is the services' job."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model

from rapport.contacts.models import STAGE_CHOICES, Company, Contact
from rapport.contacts.services import referrer_label
from rapport.lib.dates import known_time_zones

SORT_CHOICES = [
    ("priority", "Best to talk to first"),
    ("name", "Name"),
    ("activity", "Latest activity"),
]

KEENNESS_CHOICES = [
    (0, "0 · not sure yet"),
    (1, "1 · curious"),
    (2, "2 · keen"),
    (3, "3 · top choice"),
]
HIRING_CHOICES = [
    (0, "0 · no sign"),
    (1, "1 · some sign"),
    (2, "2 · hiring"),
    (3, "3 · hiring for roles like yours"),
]
TAG_SEPARATOR = ","


def _zone_choices() -> list[tuple[str, str]]:
    zones = ((name, name.replace("_", " ")) for name in sorted(known_time_zones()))
    return [("", "—"), *zones]


# --- the contact list ----------------------------------------------------------------------


class ContactFilterForm(forms.Form):
    """The list's search, filters and sort. A value that makes no sense is ignored, so a
    mangled link still shows a list."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    stage = forms.ChoiceField(required=False, choices=[("", "Every stage"), *STAGE_CHOICES])
    tag = forms.CharField(required=False, max_length=50)
    source = forms.ChoiceField(
        required=False, choices=[("", "Every source"), *Contact.Source.choices]
    )
    company = forms.IntegerField(required=False, min_value=1)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, label="Sort by")

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for selectors.contact_list, from the fields that were valid."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": (data.get("q") or "").strip(),
            "stage": data.get("stage") or "",
            "tag": (data.get("tag") or "").strip(),
            "source": data.get("source") or "",
            "company_id": data.get("company"),
            "sort": data.get("sort") or "priority",
        }


class IdListField(forms.Field):
    """Contact ids from a list of checkboxes."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": "Tick at least one contact first.",
        "invalid": "That selection could not be read; reload the page and try again.",
    }

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        try:
            return sorted({int(item) for item in value})
        except (TypeError, ValueError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class BulkActionForm(forms.Form):
    ACTIONS: ClassVar[dict[str, str]] = {
        "tag": "Add tag",
        "untag": "Remove tag",
        "stage": "Move to stage",
        "archive": "Archive",
        "delete": "Delete",
    }

    ids = IdListField()
    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    tag = forms.CharField(required=False, max_length=50)
    stage = forms.ChoiceField(required=False, choices=[("", "Stage…"), *STAGE_CHOICES])
    confirm = forms.BooleanField(required=False)
    next = forms.CharField(required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action in ("tag", "untag") and not (data.get("tag") or "").strip():
            self.add_error("tag", "Type the tag's name.")
        if action == "stage" and not data.get("stage"):
            self.add_error("stage", "Choose the stage to move them to.")
        return data


# --- one contact ---------------------------------------------------------------------------


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=STAGE_CHOICES)
    next = forms.CharField(required=False, max_length=2000)


class ContactSectionForm(forms.Form):
    """One editable section of the contact page: some of the contact's own fields, and
    for some sections the employer (by name) or the tags."""

    heading: ClassVar[str]
    model_field_names: ClassVar[tuple[str, ...]]

    @classmethod
    def for_contact(cls, contact: Contact, data: Any = None) -> ContactSectionForm:
        initial = {name: getattr(contact, name) for name in cls.model_field_names}
        if "country" in initial:
            initial["country"] = contact.country.code if contact.country else ""
        initial.update(cls.extra_initial(contact))
        return cls(data, initial=initial)

    @classmethod
    def extra_initial(cls, contact: Contact) -> dict[str, Any]:
        return {}

    def changes(self) -> dict[str, Any]:
        """Keyword arguments for services.contact_edit."""
        return {"data": {name: self.cleaned_data[name] for name in self.model_field_names}}


def _contact_fields(*names: str) -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = fields_for_model(Contact, fields=names)
    for field in fields.values():
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs["rows"] = 3
    return fields


class ContactDetailsForm(ContactSectionForm):
    heading = "Details"
    model_field_names = (
        "first_name", "last_name", "title", "email", "phone", "linkedin_url", "location",
        "time_zone", "country", "connected_on", "source",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The URL field is made here, not from the model, to say links default to https.
        fields = _contact_fields(*(n for n in self.model_field_names if n != "linkedin_url"))
        fields["title"].label = "Job title"
        fields["time_zone"] = forms.ChoiceField(
            choices=_zone_choices, required=False, label="Time zone"
        )
        fields["connected_on"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        fields["connected_on"].label = "Connected on"
        fields["linkedin_url"] = forms.URLField(
            required=False, max_length=400, assume_scheme="https", label="LinkedIn profile"
        )
        company = forms.CharField(
            required=False,
            max_length=200,
            label="Company",
            help_text="Typed as you like: an existing company is matched, a new one added.",
        )
        referred_by = forms.CharField(
            required=False,
            max_length=310,
            label="Introduced by",
            help_text="One of your contacts, by name; if two share it, add the company in "
            "brackets: Marta Silva (Acme).",
        )
        order = ("first_name", "last_name", "title")
        self.fields = {
            **{name: fields[name] for name in order},
            "company": company,
            **{name: fields[name] for name in self.model_field_names if name not in order},
            "referred_by": referred_by,
        }

    @classmethod
    def extra_initial(cls, contact: Contact) -> dict[str, Any]:
        return {
            "company": contact.company.name if contact.company else "",
            "referred_by": referrer_label(contact),
        }

    def changes(self) -> dict[str, Any]:
        return {
            **super().changes(),
            "company_name": self.cleaned_data["company"],
            "referred_by_name": self.cleaned_data["referred_by"],
        }


class ContactResearchForm(ContactSectionForm):
    heading = "Research"
    model_field_names = (
        "research_role", "research_tenure", "research_path", "research_achievements",
        "research_writing", "common_ground",
    )  # fmt: skip
    HELP: ClassVar[dict[str, str]] = {
        "research_role": "What the job involves, day to day.",
        "research_tenure": "How long they have done it, e.g. “since 2021”.",
        "research_path": "Where they worked or studied before.",
        "research_achievements": "Projects, awards or launches they are known for.",
        "research_writing": "Articles, talks, interviews or posts.",
        "common_ground": "A school, employer, place or interest you share.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = _contact_fields(*self.model_field_names)
        for name, help_text in self.HELP.items():
            self.fields[name].help_text = help_text


class ContactNotesForm(ContactSectionForm):
    heading = "Notes and tags"
    model_field_names = ("notes",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            **_contact_fields("notes"),
            "tags": forms.CharField(
                required=False,
                max_length=500,
                help_text="Separate tags with commas, e.g. “target, alumni”.",
            ),
        }

    @classmethod
    def extra_initial(cls, contact: Contact) -> dict[str, Any]:
        return {"tags": f"{TAG_SEPARATOR} ".join(tag.name for tag in contact.tags.all())}

    def clean_tags(self) -> list[str]:
        names = [" ".join(name.split()) for name in self.cleaned_data["tags"].split(",")]
        too_long = [name for name in names if len(name) > 50]
        if too_long:
            raise ValidationError(f"Keep each tag under 50 characters: “{too_long[0][:20]}…”.")
        return [name for name in names if name]

    def changes(self) -> dict[str, Any]:
        return {**super().changes(), "tag_names": self.cleaned_data["tags"]}


SECTIONS: dict[str, type[ContactSectionForm]] = {
    "details": ContactDetailsForm,
    "research": ContactResearchForm,
    "notes": ContactNotesForm,
}


# --- companies -----------------------------------------------------------------------------


class CompanyForm(forms.Form):
    name = forms.CharField(max_length=200)
    domain = forms.CharField(
        required=False, max_length=253, help_text="Its web address, e.g. corvane.com."
    )
    keenness = forms.TypedChoiceField(
        choices=KEENNESS_CHOICES,
        coerce=int,
        initial=0,
        label="How keen are you?",
        help_text="Counts most in the ranking.",
    )
    hiring_signal = forms.TypedChoiceField(
        choices=HIRING_CHOICES,
        coerce=int,
        initial=0,
        label="Hiring signal",
        help_text="Openings for the kind of role you want.",
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What it does, its standing in the field, what sets it apart.",
    )

    @classmethod
    def for_company(cls, company: Company, data: Any = None) -> CompanyForm:
        return cls(data, initial={name: getattr(company, name) for name in cls.base_fields})

    def clean_domain(self) -> str:
        domain: str = self.cleaned_data["domain"].strip().lower()
        for prefix in ("https://", "http://", "www."):
            domain = domain.removeprefix(prefix)
        return domain.rstrip("/")

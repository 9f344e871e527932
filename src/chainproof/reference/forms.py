from __future__ import annotations

from typing import Any

from django import forms

from chainproof.domain.refdata import KINDS
from chainproof.reference.services import MAX_REFERENCE_FILE_BYTES


class DatasetUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k.code, k.title) for k in KINDS.values()])
    edition = forms.CharField(
        max_length=120, help_text="e.g. 'TIP Report 2026'. Editions never change once loaded."
    )
    as_of = forms.DateField(
        label="As of",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The date the source describes; the latest as-of date in the past is in force.",
    )
    source = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    license = forms.CharField(required=False, max_length=500)
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    file = forms.FileField(help_text="A UTF-8 CSV file with the columns of the chosen kind.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        if upload.size > MAX_REFERENCE_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {MAX_REFERENCE_FILE_BYTES:,}."
            )
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(f"Expected a .csv file, found {upload.name!r}.")
        head = upload.read(4096)
        upload.seek(0)
        if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")):
            raise forms.ValidationError(
                "This is a spreadsheet or PDF, not CSV text. Export it as CSV (UTF-8) first."
            )
        return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class UpdateUploadForm(forms.Form):
    """A list downloaded from its publisher (or in chainproof's CSV layout), to compare
    with the edition in force before loading it."""

    kind = forms.ChoiceField(label="List", choices=[(k.code, k.title) for k in KINDS.values()])
    list_files = MultipleFileField(
        label="Files",
        help_text="The page or files as the publisher serves them (OFAC: SDN.CSV, ALT.CSV and "
        "ADD.CSV together), or one CSV file in chainproof's layout.",
    )

    def clean_list_files(self) -> Any:
        uploads = self.cleaned_data["list_files"]
        if not uploads:
            raise forms.ValidationError("Choose at least one file.")
        total = sum(upload.size for upload in uploads)
        if total > MAX_REFERENCE_FILE_BYTES:
            raise forms.ValidationError(
                f"The files are {total:,} bytes; the limit is {MAX_REFERENCE_FILE_BYTES:,}."
            )
        if any(upload.size == 0 for upload in uploads):
            raise forms.ValidationError("A file is empty.")
        return uploads

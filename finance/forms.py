"""Forms of the finance app: the import upload (SPEC §7)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from finance.importing import limits
from finance.importing import messages as msg
from finance.importing.reading import CSV_SUFFIXES, XLSX_SUFFIXES
from finance.models import ImportBatch


class ImportForm(forms.Form):
    """Choose the kind of data and the file; the file is checked for size and type before it is read."""

    kind = forms.ChoiceField(label=_("Kind of data"), choices=ImportBatch.Kind.choices)
    # An empty file is accepted here so that the import itself says what is wrong with it.
    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join((*XLSX_SUFFIXES, *CSV_SUFFIXES))}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > limits.max_upload_bytes():
            raise forms.ValidationError(
                gettext(msg.FILE_TOO_LARGE)
                % {"size": f"{upload.size:,}", "limit": f"{limits.max_upload_bytes():,}"}
            )
        if not upload.name.lower().endswith((*XLSX_SUFFIXES, *CSV_SUFFIXES)):
            raise forms.ValidationError(gettext(msg.UNKNOWN_FORMAT) % {"name": upload.name})
        return upload

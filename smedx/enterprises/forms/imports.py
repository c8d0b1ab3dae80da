"""The enterprise import's upload form."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from smedx.core import uploads
from smedx.enterprises import workbook


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )

    def clean_file(self):
        upload = uploads.clean(
            self.cleaned_data["file"], kinds=("xlsx",), max_bytes=settings.IMPORT_MAX_BYTES
        )
        try:
            self.rows = workbook.count_rows(upload)
        except workbook.FileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload

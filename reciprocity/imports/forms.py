from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# A spreadsheet of 20,000 missions is about 4 MB as CSV; far beyond any real file of a network.
MAX_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    upload = forms.FileField(
        label=_("File"), help_text=_("A CSV (comma or semicolon, UTF-8) or XLSX file, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_upload(self) -> Any:
        upload = self.cleaned_data["upload"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".xlsm", ".txt")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload

"""Plain forms for the procedure pages: they validate input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reciprocity.procedures.models import DocumentKind, StepStatus


class StepAdvanceForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=StepStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File (PDF, PNG or JPEG, at most 10 MB)"))
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    step = forms.IntegerField(required=False, widget=forms.HiddenInput)

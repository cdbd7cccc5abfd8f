"""Plain forms for the procedure pages: they validate input; the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reciprocity.procedures.models import DocumentKind, StepStatus, VisaDecision


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


class VisaOutcomeForm(forms.Form):
    """The visa step's outcome; the service checks the dates and the ground (visas.py)."""

    application_date = forms.DateField(
        label=_("Application date"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    appointment_date = forms.DateField(
        label=_("Appointment date"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    decision = forms.ChoiceField(
        label=_("Decision"), required=False,
        choices=[("", _("Not decided yet")), *VisaDecision.choices],
    )
    decision_date = forms.DateField(
        label=_("Decision date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    refusal_ground = forms.ChoiceField(label=_("Stated ground (refusal)"), required=False)

    def __init__(self, *args: Any, grounds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["refusal_ground"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *grounds]

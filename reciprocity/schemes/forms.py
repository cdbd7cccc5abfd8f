"""Staff forms for rule rows, suspensions and rule documents (plain forms; services decide)."""

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reciprocity.schemes.models import Confidence, SchemeCode

DATE = forms.DateInput(attrs={"type": "date"})


class JSONValueField(forms.CharField):
    """A JSON value typed by staff: 25, 36.11, true, "text", ["FR", "DE"]."""

    def clean(self, value: Any) -> Any:
        text = super().clean(value)  # length and required checks run on the text
        try:
            return json.loads(text)
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(
                _("Not a valid value: write a number (25), true/false, or text in quotes.")
            ) from exc


class RuleEditForm(forms.Form):
    value = JSONValueField(label=_("Value"), max_length=2000)
    effective_from = forms.DateField(
        label=_("Effective from"), widget=DATE,
        help_text=_("Keep the date to correct this row; another date adds a new version."),
    )
    source = forms.CharField(label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confidence = forms.ChoiceField(label=_("Confidence"), choices=Confidence.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SuspensionForm(forms.Form):
    scheme = forms.ChoiceField(label=_("Scheme"), choices=SchemeCode.choices)
    start = forms.DateField(label=_("Start"), widget=DATE)
    end = forms.DateField(label=_("End (empty while not known)"), required=False, widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(label=_("Source"), required=False)


class SuspensionEditForm(forms.Form):
    end = forms.DateField(label=_("End (empty while not known)"), required=False, widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RuleDocumentForm(forms.Form):
    content = JSONValueField(label=_("Content (JSON)"), widget=forms.Textarea(attrs={"rows": 30}))
    source = forms.CharField(label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

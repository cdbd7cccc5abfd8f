"""Filters of the balance pages (GET forms: every figure has a shareable address)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reciprocity.balance.annual import BASES
from reciprocity.core.bounds import IdField
from reciprocity.core.widgets import QuickSelect
from reciprocity.schemes.models import SchemeCode

SCHEME_CHOICES = [("", _("All schemes")), *SchemeCode.choices]


def _country_choices() -> list[tuple[str, str]]:
    # A callable, so the names are those of the request's language: `choices=countries` was
    # turned into a list once, at import, in English ("Åland Islands" on the French page).
    return [(code, str(name)) for code, name in countries]


class BalanceFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200, required=False)
    scheme = forms.ChoiceField(label=_("Scheme"), choices=SCHEME_CHOICES, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices, required=False,
                                widget=QuickSelect)


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)
    host_country = forms.ChoiceField(label=_("Host country"), choices=_country_choices, initial="FR",
                                     widget=QuickSelect)
    scheme = forms.ChoiceField(label=_("Scheme"), choices=SCHEME_CHOICES, required=False)
    basis = forms.ChoiceField(
        label=_("Basis"), initial="start",
        choices=[(b, label) for b, label in zip(
            BASES, [_("started in the year"), _("in mission during the year")], strict=True)],
    )


class DrillForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)
    origin = forms.CharField(required=False, max_length=2)
    host = forms.CharField(required=False, max_length=2)
    scheme = forms.CharField(required=False, max_length=20)
    agreement = IdField(required=False)
    basis = forms.ChoiceField(required=False, choices=[("", ""), *[(b, b) for b in BASES]])
    direction = forms.ChoiceField(required=False, choices=[("", ""), ("a_to_b", "a_to_b"),
                                                           ("b_to_a", "b_to_a")])

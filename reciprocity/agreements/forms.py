"""Plain forms of the agreement and programme pages: they read the input; the view calls one
service of agreements/services.py, whose refusals land on the fields."""

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reciprocity.agreements.models import AgreementStatus, Programme, QuotaUnit
from reciprocity.agreements.services import AgreementData, ProgrammeData
from reciprocity.partners.forms import day_input
from reciprocity.partners.models import Organisation
from reciprocity.schemes.models import Scheme

QUOTA_MAX = 1_000_000


def _schemes_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Schemes"), queryset=Scheme.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple)


class AgreementForm(forms.Form):
    reference = forms.SlugField(label=_("Reference"), max_length=60,
                                help_text=_("A short unique code: letters, digits, - and _."))
    title = forms.CharField(label=_("Title"), max_length=200)
    party_a = forms.ModelChoiceField(label=_("Party A"), queryset=Organisation.objects.none())
    party_b = forms.ModelChoiceField(label=_("Party B"), queryset=Organisation.objects.none())
    schemes = _schemes_field()
    programme = forms.ModelChoiceField(label=_("Programme"), required=False,
                                       queryset=Programme.objects.order_by("name"))
    start_date = forms.DateField(label=_("Start"), widget=day_input())
    end_date = forms.DateField(label=_("End"), widget=day_input())
    quota_a_to_b = forms.IntegerField(label=_("Yearly quota A → B"), min_value=0,
                                      max_value=QUOTA_MAX,
                                      help_text=_("Sent by A, hosted by B, each year."))
    quota_b_to_a = forms.IntegerField(label=_("Yearly quota B → A"), min_value=0,
                                      max_value=QUOTA_MAX,
                                      help_text=_("Sent by B, hosted by A, each year."))
    unit = forms.ChoiceField(label=_("Unit"), choices=QuotaUnit.choices,
                             initial=QuotaUnit.VOLUNTEERS)
    tolerance = forms.IntegerField(
        label=_("Imbalance tolerance"), min_value=0, max_value=QUOTA_MAX,
        help_text=_("Largest accepted gap between the two directions, in the agreement's unit."))
    tolerance_strict = forms.BooleanField(
        label=_("Strict tolerance"), required=False,
        help_text=_("Refuse confirmations beyond the tolerance instead of asking for a reason."))
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices,
                               initial=AgreementStatus.DRAFT)

    def __init__(self, *args: Any, parties: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("party_a", "party_b"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = parties.order_by("name", "country")

    def data_object(self) -> AgreementData:
        values = {name: self.cleaned_data[name] for name in AgreementData.__dataclass_fields__}
        values["schemes"] = tuple(values["schemes"])
        return AgreementData(**values)


class ProgrammeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40,
                           help_text=_("A short unique code: letters, digits, - and _."))
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    coordinator = forms.ModelChoiceField(label=_("Coordinator"),
                                         queryset=Organisation.objects.none())
    countries = forms.CharField(
        label=_("Countries"), required=False, max_length=1000,
        help_text=_("ISO codes separated by spaces or commas, e.g. FR SN TG."))
    schemes = _schemes_field()
    start_date = forms.DateField(label=_("Start"), widget=day_input())
    end_date = forms.DateField(label=_("End"), widget=day_input(), required=False,
                               help_text=_("Leave empty while it lasts."))

    def __init__(self, *args: Any, coordinators: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["coordinator"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = coordinators
        if coordinators.count() == 1:
            field.initial = coordinators.first()
        self.fields["schemes"].required = False

    def data_object(self) -> ProgrammeData:
        data = self.cleaned_data
        codes = tuple(code for code in re.split(r"[\s,;]+", data["countries"].upper()) if code)
        return ProgrammeData(code=data["code"], name=data["name"],
                             description=data["description"], coordinator=data["coordinator"],
                             countries=codes, schemes=tuple(data["schemes"]),
                             start_date=data["start_date"], end_date=data["end_date"])

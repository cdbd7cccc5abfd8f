"""Plain forms of the network pages (organisations, accreditations, affiliations): they read
the input; the view calls one service of partners/services.py, whose refusals land on the
fields (core/validation.add_to_form)."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reciprocity.partners.models import AccreditationKind, AffiliationKind, LegalForm, Organisation
from reciprocity.partners.services import AccreditationData, OrganisationData
from reciprocity.partners.timezones import time_zone_choices
from reciprocity.schemes.models import Scheme


def day_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_zone_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices, required=False,
        help_text=_("The times its members read on their pages (from their next sign-in). "
                    "Empty: the platform's time zone."))


def _country_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((code, str(name)) for code, name in countries)]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    acronym = forms.CharField(label=_("Acronym"), max_length=30, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    address = forms.CharField(label=_("Address"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices,
                                   initial=LegalForm.ASSOCIATION)
    is_host = forms.BooleanField(label=_("Hosts volunteers"), required=False)
    is_sending = forms.BooleanField(label=_("Sends volunteers"), required=False)
    is_national_agency = forms.BooleanField(label=_("National agency"), required=False)
    is_intermediary = forms.BooleanField(label=_("Intermediary"), required=False)
    is_coordinator = forms.BooleanField(
        label=_("Coordinator"), required=False,
        help_text=_("Its administrators and officers run its network. Set by platform staff."))
    contact_name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    exchange_code = forms.CharField(
        label=_("Exchange code"), max_length=20, required=False,
        help_text=_("The organisation's code in VEF, PEF and free-places files (e.g. SJ, SDA)."))
    time_zone = time_zone_field()
    network = forms.ModelChoiceField(
        label=_("Joins the network of"), queryset=Organisation.objects.none(), required=False,
        help_text=_("The new organisation becomes a member of this coordinator's network from "
                    "today, so its coordinators can run it."))

    def __init__(self, *args: Any, networks: QuerySet[Organisation] | None = None,
                 may_grant_coordinator: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if networks is None:  # editing: the network is changed through affiliations
            del self.fields["network"]
        else:
            field = self.fields["network"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = networks
            if not may_grant_coordinator:  # a coordinator's new organisation joins a network
                field.required = True
                if networks.count() == 1:
                    field.initial = networks.first()
        if not may_grant_coordinator:
            self.fields["is_coordinator"].disabled = True

    def data_object(self) -> OrganisationData:
        values = {name: self.cleaned_data[name] for name in OrganisationData.__dataclass_fields__}
        return OrganisationData(**values)


class ContactsForm(forms.Form):
    """What an organisation's own administrator changes."""

    contact_name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    address = forms.CharField(label=_("Address"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    time_zone = time_zone_field()


class AccreditationForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.order_by("code"))
    kind = forms.ChoiceField(label=_("Kind"), choices=AccreditationKind.choices)
    number = forms.CharField(label=_("Number"), max_length=60)
    authorised_volunteers = forms.IntegerField(label=_("Authorised volunteers"), min_value=0,
                                               max_value=1_000_000)
    valid_from = forms.DateField(label=_("Valid from"), widget=day_input())
    valid_to = forms.DateField(label=_("Valid to"), widget=day_input())
    issuer = forms.CharField(label=_("Issuer"), max_length=150,
                             help_text=_("Who granted it, e.g. Agence du Service Civique."))

    def data_object(self) -> AccreditationData:
        return AccreditationData(**{name: self.cleaned_data[name]
                                    for name in AccreditationData.__dataclass_fields__})


class AffiliationForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Organisation.objects.none(),
                                    help_text=_("The organisation that belongs."))
    parent = forms.ModelChoiceField(label=_("Belongs to"), queryset=Organisation.objects.none(),
                                    help_text=_("The network or the accrediting intermediary."))
    kind = forms.ChoiceField(label=_("Kind"), choices=AffiliationKind.choices)
    valid_from = forms.DateField(label=_("Valid from"), widget=day_input())
    valid_to = forms.DateField(label=_("Valid to"), widget=day_input(), required=False,
                               help_text=_("Leave empty while it lasts."))

    def __init__(self, *args: Any, organisation: Organisation, parents: QuerySet[Organisation],
                 editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        member, parent = self.fields["member"], self.fields["parent"]
        assert isinstance(member, forms.ModelChoiceField)
        assert isinstance(parent, forms.ModelChoiceField)
        member.queryset = Organisation.objects.order_by("name", "country")
        parent.queryset = parents.order_by("name", "country")
        if editing:
            member.disabled = parent.disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        member, parent = data.get("member"), data.get("parent")
        if member and parent and self.organisation.pk not in (member.pk, parent.pk):
            self.add_error(None, _("One side of the affiliation must be %(name)s.")
                           % {"name": self.organisation.name})
        return data


class AffiliationEndForm(forms.Form):
    on = forms.DateField(label=_("Last day"), widget=day_input())

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = today

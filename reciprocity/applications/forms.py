"""Plain forms: they validate input; the view then calls one service."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.agreements.models import Programme
from reciprocity.applications.models import MAX_CHOICES
from reciprocity.core.forms import limit_choices
from reciprocity.core.l10n import format_day
from reciprocity.missions.models import Mission
from reciprocity.partners.models import Organisation
from reciprocity.volunteers.models import Volunteer

LONG_LIST = 300


def volunteers_user_may_apply_for(user: AnyUser) -> QuerySet[Volunteer]:
    if is_platform_staff(user):
        return Volunteer.objects.order_by("last_name", "first_name", "id")
    orgs = member_organisation_ids(user, writable=True)
    return Volunteer.objects.filter(
        Q(user_id=user.pk) | Q(sending_organisation_id__in=orgs)
    ).order_by("last_name", "first_name", "id")


def _published() -> QuerySet[Mission]:
    return Mission.objects.published().select_related("host").order_by("title", "id")


class _MissionLabel(forms.ModelChoiceField):
    def label_from_instance(self, obj: Mission) -> str:
        return f"{obj.title} — {obj.host.name} ({obj.city}, {format_day(obj.start_date)})"


class ApplicationForm(forms.Form):
    volunteer = forms.ModelChoiceField(queryset=Volunteer.objects.none(), label=_("Volunteer"))
    motivation = forms.CharField(label=_("Motivation"), widget=forms.Textarea, max_length=20000)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        volunteers = volunteers_user_may_apply_for(user)
        limit_choices(self, "volunteer", volunteers)
        if volunteers.count() > LONG_LIST:
            # Thousands of options (platform staff) make the page heavy: ask for the number.
            self.fields["volunteer"].widget = forms.NumberInput()
            self.fields["volunteer"].help_text = _("The volunteer's number, as shown on their page.")
        own = getattr(user, "volunteer", None)
        if own is not None:
            self.fields["volunteer"].initial = own.pk
        for rank in range(1, MAX_CHOICES + 1):
            self.fields[f"mission_{rank}"] = _MissionLabel(
                queryset=_published(), required=rank == 1,
                label=_("Choice %(rank)d") % {"rank": rank},
            )

    def missions(self) -> list[Mission]:
        return [
            self.cleaned_data[f"mission_{rank}"]
            for rank in range(1, MAX_CHOICES + 1)
            if self.cleaned_data.get(f"mission_{rank}")
        ]


class NominationForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Nominating organisation"))
    volunteers = forms.ModelMultipleChoiceField(queryset=Volunteer.objects.none(), label=_("Candidates"))
    missions = forms.ModelMultipleChoiceField(
        queryset=Mission.objects.none(), label=_("Missions"), required=False
    )
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.order_by("name"), label=_("Programme cohort"), required=False
    )
    motivation = forms.CharField(label=_("Presentation"), widget=forms.Textarea, required=False,
                                 max_length=20000)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.order_by("name")
        if not is_platform_staff(user):
            orgs = orgs.filter(pk__in=member_organisation_ids(user, writable=True))
        limit_choices(self, "organisation", orgs)
        limit_choices(self, "volunteers", Volunteer.objects.filter(
            sending_organisation__in=orgs
        ).order_by("last_name", "first_name", "id"))
        limit_choices(self, "missions", _published())


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=2000)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class AcceptForm(forms.Form):
    """Platform staff may accept a volunteer the eligibility engine refuses, with a reason
    (workflow.services.application_choice_accept)."""

    override_reason = forms.CharField(
        label=_("Staff override of the eligibility verdict: reason"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
    )

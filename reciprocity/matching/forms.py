"""The coordinator's form to create a placement run (plain form: the service validates)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import is_platform_staff
from reciprocity.agreements.models import Programme
from reciprocity.matching.models import MAX_TIME_LIMIT, RunMode
from reciprocity.matching.permissions import coordinator_organisation_ids
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.partners.models import Organisation


class DateInput(forms.DateInput):
    input_type = "date"


class RunForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Coordinator organisation"), queryset=Organisation.objects.none(), required=False
    )
    season_start = forms.DateField(label=_("Season: first day"), required=False, widget=DateInput)
    season_end = forms.DateField(label=_("Season: last day"), required=False, widget=DateInput)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.order_by("name"), required=False
    )
    missions = forms.ModelMultipleChoiceField(
        label=_("Missions"), required=False,
        queryset=Mission.objects.filter(status=MissionStatus.PUBLISHED).order_by("start_date", "title"),
        help_text=_("Leave empty to take every published mission of the season or programme."),
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=RunMode.choices, initial=RunMode.OPTIMAL)
    time_limit = forms.IntegerField(label=_("Time limit (seconds)"), min_value=1,
                                    max_value=MAX_TIME_LIMIT, initial=60)
    unplaced_penalty = forms.IntegerField(
        label=_("Unplaced penalty"), min_value=1, max_value=1_000_000, initial=100,
        help_text=_("Cost of leaving a volunteer unplaced, in choice ranks: with 100, placing "
                    "one more volunteer always beats giving others better choices."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.filter(is_coordinator=True).order_by("name")
        if not is_platform_staff(user):
            orgs = orgs.filter(pk__in=coordinator_organisation_ids(user))
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = orgs


class PairingRunForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    season_start = forms.DateField(label=_("Season: first day"), widget=DateInput,
                                   help_text=_("Placements starting in the season form the cohort."))
    season_end = forms.DateField(label=_("Season: last day"), widget=DateInput)
    min_overlap_days = forms.IntegerField(
        label=_("Minimum days together"), min_value=0, max_value=366, initial=14,
        help_text=_("Two volunteers are paired only if their placements overlap this long."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.order_by("name")
        if not is_platform_staff(user):
            programmes = programmes.filter(coordinator_id__in=coordinator_organisation_ids(user))
        cast(forms.ModelChoiceField, self.fields["programme"]).queryset = programmes


class PairDissolveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the pair dissolved?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the pair's history; both volunteers may be paired again by a later run."),
    )

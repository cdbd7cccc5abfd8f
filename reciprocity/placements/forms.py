from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reciprocity.placements.models import (
    EvaluationAuthor,
    EvaluationStage,
    FollowUpSituation,
    TerminationReason,
)

RATINGS = [(i, str(i)) for i in range(1, 6)]


class DateInput(forms.DateInput):
    input_type = "date"


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the cancellation"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class DayForm(forms.Form):
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput)


class InterruptForm(forms.Form):
    on = forms.DateField(label=_("Last day"), widget=DateInput)
    termination_reason = forms.ChoiceField(label=_("Ground"), choices=TerminationReason.choices)
    reason = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class TutorForm(forms.Form):
    name = forms.CharField(label=_("Tutor"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


class EvaluationForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=EvaluationStage.choices)
    author_role = forms.ChoiceField(label=_("Written by"), choices=EvaluationAuthor.choices)
    mission_rating = forms.TypedChoiceField(label=_("The mission"), choices=RATINGS, coerce=int)
    integration_rating = forms.TypedChoiceField(label=_("Integration in the team"), choices=RATINGS, coerce=int)
    support_rating = forms.TypedChoiceField(label=_("Support and tutoring"), choices=RATINGS, coerce=int)
    comments = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20000)


class FollowUpForm(forms.Form):
    situation = forms.ChoiceField(label=_("Situation six months after the end"), choices=FollowUpSituation.choices)
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=20000)


class ConfirmForm(forms.Form):
    """Reasons a confirmation may need (workflow.services.placement_confirm): beyond the
    agreement's tolerance, and (platform staff only) against the eligibility verdict."""

    tolerance_reason = forms.CharField(
        label=_("Reason for going beyond the agreement's tolerance"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Asked only when this placement takes its agreement outside its tolerance."),
    )
    override_reason = forms.CharField(
        label=_("Staff override of the eligibility verdict: reason"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Platform staff only; kept in the placement's history."),
    )

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["override_reason"]

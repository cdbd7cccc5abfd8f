from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reciprocity.accounts.selectors import AnyUser, is_platform_staff
from reciprocity.partners.models import Organisation
from reciprocity.planning.permissions import owners_for
from reciprocity.planning.services import MAX_QUOTA, YEARS_AHEAD


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    year = forms.IntegerField(label=_("Year"))
    organisation = forms.ModelChoiceField(
        label=_("Coordinator"), queryset=Organisation.objects.none(),
        help_text=_("The scenario copies the agreements of this coordinator and of its network "
                    "that run in the year."),
    )

    def __init__(self, *args: Any, user: AnyUser, this_year: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": this_year + 1})
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.IntegerField)
        year.min_value, year.max_value = this_year, this_year + YEARS_AHEAD
        year.widget.attrs.update({"min": this_year, "max": this_year + YEARS_AHEAD})
        owner = self.fields["organisation"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = owners_for(user)
        if is_platform_staff(user):
            owner.required = False
            owner.empty_label = str(_("The whole platform"))
        else:
            owner.empty_label = None


class QuotasForm(forms.Form):
    """Two numbers per line of the scenario: `ab_<agreement id>` and `ba_<agreement id>`."""

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for line in lines:
            for key, label, value in (
                    ("ab", _("%(agreement)s: quota A → B"), line.quota_a_to_b),
                    ("ba", _("%(agreement)s: quota B → A"), line.quota_b_to_a)):
                # The agreement's title, as the row's heading shows it: a screen reader hears
                # the label, and a reference is a code (issue 16: labels, never codes).
                self.fields[f"{key}_{line.agreement_id}"] = forms.IntegerField(
                    label=label % {"agreement": line.agreement.title}, min_value=0,
                    max_value=MAX_QUOTA, initial=value,
                    widget=forms.NumberInput(attrs={"class": "quota", "size": 5}))

    def quotas(self) -> dict[int, tuple[int, int]]:
        ids = {int(name.split("_", 1)[1]) for name in self.fields}
        return {pk: (self.cleaned_data[f"ab_{pk}"], self.cleaned_data[f"ba_{pk}"])
                for pk in sorted(ids)}

"""The filters of the audit log page (a GET form: a filtered view has an address to share)."""

from typing import Any

from auditlog.models import AbstractLogEntry
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reciprocity.audit.selectors import AuditFilters, recorded_types, type_name
from reciprocity.core.bounds import IdField

ACTIONS = [
    (AbstractLogEntry.Action.CREATE, _("Created")),
    (AbstractLogEntry.Action.UPDATE, _("Changed")),
    (AbstractLogEntry.Action.DELETE, _("Deleted")),
]


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("By (username)"), required=False, max_length=150)
    system_only = forms.BooleanField(label=_("Only the system (commands, jobs)"), required=False)
    object_type = forms.TypedChoiceField(label=_("Type"), required=False, coerce=int,
                                         empty_value=None)
    object_id = IdField(label=_("Object id"), required=False)
    action = forms.TypedChoiceField(label=_("Action"), required=False, coerce=int,
                                    empty_value=None,
                                    choices=[("", _("Any action")), *ACTIONS])
    since = forms.DateField(label=pgettext_lazy("start of a date range", "From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["object_type"]
        assert isinstance(field, forms.ChoiceField)  # declared above; narrows Field for mypy
        field.choices = [
            ("", _("Any type")), *[(ct.pk, capfirst(type_name(ct))) for ct in recorded_types()]
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filters(self) -> AuditFilters:
        """The filters asked for; none at all when the form is not valid (its errors show)."""
        if not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            actor=data["actor"].strip(), system_only=data["system_only"],
            content_type_id=data["object_type"], object_id=data["object_id"],
            action=data["action"], since=data["since"], until=data["until"],
        )

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reciprocity.exchange.formats import MAX_BYTES
from reciprocity.exchange.models import WebhookEvent


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (several VEFs at once)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xml,application/xml,text/xml"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("File format"),
        choices=[("pef", _("PEF: an organisation's projects")),
                 ("vef", _("VEF: volunteers' applications (one per file)"))],
    )
    upload = MultipleFileField(label=_("Files"), help_text=_("XML files, at most 10 MB each."))

    def clean_upload(self) -> list[Any]:
        files = self.cleaned_data["upload"]
        if self.data.get("kind") == "pef" and len(files) > 1:
            raise forms.ValidationError(_("Import one PEF at a time."))
        for upload in files:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is larger than 10 MB.") % {"name": upload.name})
        return files


class ExchangeCodeForm(forms.Form):
    exchange_code = forms.CharField(
        label=_("Exchange code"), max_length=20, required=False,
        help_text=_("The organisation's code in the work-camp networks (e.g. SJ, SDA); empty "
                    "to remove it."),
    )


class WebhookForm(forms.Form):
    url = forms.URLField(label=_("HTTPS address"), max_length=500,
                         assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"), widget=forms.CheckboxSelectMultiple, choices=WebhookEvent.choices,
    )

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reciprocity.conversations.models import MAX_TEXT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Zero or more files (the service checks their number, size and type)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [f for f in (single(item, initial) for item in items) if f]


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 4}))
    attachments = AttachmentsField(label=_("Attach files"),
                             help_text=_("PDF, PNG or JPEG, at most 10 MB each, 5 files."))

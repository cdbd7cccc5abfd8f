from django import forms
from django.utils.translation import gettext_lazy as _


class AppCodeForm(forms.Form):
    """A six-digit code from the authenticator app."""

    code = forms.CharField(
        label=_("Six-digit code from your app"), max_length=12,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True,
            "pattern": r"[0-9 ]*", "size": 8,
        }),
    )


class VerifyForm(forms.Form):
    """A code from the app, or a recovery code."""

    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"), max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "size": 14}),
    )

"""Plain forms of the volunteer's own pages (sign-up, profile): they validate input; the view
then calls one service in volunteers/signup.py."""

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reciprocity.accounts.consents import current_texts
from reciprocity.volunteers.models import Gender
from reciprocity.volunteers.signup import LANGUAGE_LEVELS, Language

LANGUAGE_ROWS = 3


def _country_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((code, str(name)) for code, name in countries)]


class _LanguagesMixin(forms.Form):
    def add_language_fields(self, initial: list[dict[str, str]] | None = None) -> None:
        initial = initial or []
        levels = [("", "—"), *((level, level) for level in LANGUAGE_LEVELS)]
        for row in range(1, LANGUAGE_ROWS + 1):
            given = initial[row - 1] if len(initial) >= row else {}
            self.fields[f"language_{row}"] = forms.CharField(
                label=_("Language %(row)d") % {"row": row}, required=row == 1, max_length=3,
                initial=given.get("code", ""), help_text=_("Code: fr, en, es, ewe…") if row == 1 else "",
            )
            self.fields[f"level_{row}"] = forms.ChoiceField(
                label=_("Level"), choices=levels, required=False, initial=given.get("level", ""),
            )

    def languages(self) -> list[Language]:
        return [
            Language(code=self.cleaned_data.get(f"language_{row}", ""),
                     level=self.cleaned_data.get(f"level_{row}", ""))
            for row in range(1, LANGUAGE_ROWS + 1)
            if self.cleaned_data.get(f"language_{row}")
        ]

    def language_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"language_{row}"], self[f"level_{row}"])
                for row in range(1, LANGUAGE_ROWS + 1)]


class SignUpForm(_LanguagesMixin):
    email = forms.EmailField(label=_("E-mail address"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text=password_validators_help_text_html)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=_country_choices)
    residence_country = forms.ChoiceField(label=_("Country of residence"),
                                          choices=_country_choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_language_fields()
        self.texts = current_texts()
        for text in self.texts:
            self.fields[f"consent_{text.purpose}"] = forms.BooleanField(
                label=str(text.title), help_text=str(text.text), required=text.required,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data

    def consents(self) -> list[str]:
        return [t.purpose for t in self.texts if self.cleaned_data.get(f"consent_{t.purpose}")]

    def consent_fields(self) -> list[Any]:
        return [self[f"consent_{t.purpose}"] for t in self.texts]


class ProfileForm(_LanguagesMixin):
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    residence_country = forms.ChoiceField(label=_("Country of residence"),
                                          choices=_country_choices)

    def __init__(self, *args: Any, languages: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_language_fields(languages)

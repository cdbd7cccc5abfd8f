"""Pages where a sending organisation registers and edits the candidates it sends
(services in volunteers/candidates.py)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.forms import limit_choices
from reciprocity.partners.models import Organisation
from reciprocity.volunteers import candidates
from reciprocity.volunteers.forms import _country_choices, _LanguagesMixin
from reciprocity.volunteers.models import Gender
from reciprocity.volunteers.selectors import volunteers_visible_to


class CandidateForm(_LanguagesMixin):
    organisation = forms.ModelChoiceField(label=_("Sending organisation"),
                                          queryset=Organisation.objects.none())
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail address"), max_length=150, required=False,
                             help_text=_("Lets the candidate claim an account later."))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    birth_date = forms.DateField(label=_("Birth date"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=_country_choices)
    residence_country = forms.ChoiceField(label=_("Country of residence"),
                                          choices=_country_choices)

    def __init__(self, *args: Any, organisations: Any, languages: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organisation", organisations)
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.add_language_fields(languages)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("first_name", "last_name", "birth_date", "gender",
                                              "nationality", "residence_country")} | {
            "email": data.get("email", ""), "phone": data.get("phone", ""),
            "languages": self.languages()}


@login_required
def candidate_new(request: HttpRequest) -> HttpResponse:
    organisations = candidates.sending_organisations_of(request.user)
    if not organisations.exists():
        raise PermissionDenied(gettext(
            "Only administrators and officers of a sending organisation register candidates."))
    form = CandidateForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = candidates.candidate_register(
                by=request.user, organisation=form.cleaned_data["organisation"], **form.values())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("Candidate registered: you can nominate them now."))
            return redirect("volunteers:detail", pk=volunteer.pk)
    return render(request, "volunteers/candidate_form.html", {"form": form, "volunteer": None})


@login_required
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_object_or_404(volunteers_visible_to(request.user), pk=pk)
    if not candidates.can_edit_candidate(request.user, volunteer):
        raise PermissionDenied(gettext(
            "Only the candidate's sending organisation can edit this record."))
    organisations = Organisation.objects.filter(sent_volunteers=volunteer)
    initial = {name: getattr(volunteer, name) for name in candidates.CANDIDATE_FIELDS
               if name != "languages"} | {"organisation": volunteer.sending_organisation_id}
    form = CandidateForm(request.POST or None, organisations=organisations, initial=initial,
                         languages=volunteer.languages)
    form.fields["organisation"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            candidates.candidate_update(by=request.user, volunteer=volunteer, **form.values())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("Candidate saved."))
            return redirect("volunteers:detail", pk=volunteer.pk)
    return render(request, "volunteers/candidate_form.html",
                  {"form": form, "volunteer": volunteer})


@login_required
@require_POST
def claim_link(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_object_or_404(volunteers_visible_to(request.user), pk=pk)
    if not candidates.can_edit_candidate(request.user, volunteer):
        raise PermissionDenied(gettext(
            "Only the candidate's sending organisation can edit this record."))
    try:
        candidates.claim_link_send(by=request.user, volunteer=volunteer,
                                   base_url=request.build_absolute_uri("/"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("A link to create their account is on its way to "
                                          "%(email)s.") % {"email": volunteer.email})
    return redirect("volunteers:detail", pk=volunteer.pk)


class ClaimForm(forms.Form):
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text=password_validators_help_text_html)
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", gettext("The two passwords differ."))
        return data


def claim(request: HttpRequest, token: str) -> HttpResponse:
    """The link the candidate received: they choose a password and the account is theirs."""
    try:
        volunteer = candidates.claim_target(token=token)
    except ApplicationError as exc:
        return render(request, "volunteers/claim_refused.html",
                      {"message": exc.message, "code": exc.code}, status=410)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidates.candidate_claim(token=token, password=form.cleaned_data["password1"],
                                       now=timezone.now())
        except candidates.ClaimFailed as exc:
            return render(request, "volunteers/claim_refused.html",
                          {"message": exc.message, "code": exc.code}, status=410)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext(
                "Your account is ready. Sign in with %(email)s and your new password.")
                % {"email": volunteer.email})
            return redirect("accounts:login")
    return render(request, "volunteers/claim.html", {"form": form, "volunteer": volunteer})

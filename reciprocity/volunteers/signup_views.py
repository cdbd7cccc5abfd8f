"""The volunteer's own pages: sign-up, the profile they edit, their consents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from reciprocity.accounts import rate_limits
from reciprocity.accounts.consents import current_texts, text_of
from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.accounts.models import Consent, User
from reciprocity.accounts.services import consent_give, consent_withdraw
from reciprocity.accounts.verification import NEXT_SESSION_KEY
from reciprocity.core.exceptions import ApplicationError
from reciprocity.volunteers import signup
from reciprocity.volunteers.document_views import DocumentUploadForm
from reciprocity.volunteers.forms import ProfileForm, SignUpForm
from reciprocity.volunteers.models import Volunteer, VolunteerDocument, VolunteerDocumentKind


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return ""


# The address the last sign-up of this browser gave, shown on the "check your mailbox" page.
SENT_TO_SESSION_KEY = "signup_sent_to"


def sign_up(request: HttpRequest) -> HttpResponse:
    """The same answer whether the address is new or already has an account (its owner gets an
    e-mail instead of a confirmation link: volunteers/signup.py): a redirect to the "check your
    mailbox" page, nobody signed in. Rate-limited per address and per connection (429)."""
    if request.user.is_authenticated:
        return redirect("volunteers:profile")
    form = SignUpForm(request.POST or None)
    next_url = _safe_next(request)
    if request.method == "POST":
        wait = rate_limits.account_form_wait(request, form=rate_limits.SIGN_UP,
                                             email=request.POST.get("email", ""))
        if wait is not None:
            rate_limits.refuse(form, wait)
            return rate_limits.too_many(render(request, "volunteers/sign_up.html",
                                               {"form": form, "next": next_url}), wait)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signup.volunteer_sign_up(
                email=data["email"], password=data["password1"], first_name=data["first_name"],
                last_name=data["last_name"], birth_date=data["birth_date"],
                gender=data["gender"], nationality=data["nationality"],
                residence_country=data["residence_country"], languages=form.languages(),
                consents=form.consents(), now=timezone.now(),
                base_url=request.build_absolute_uri("/"),
            )
        except ApplicationError as exc:
            field = next(iter(exc.details), None) if isinstance(exc.details, dict) else None
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            # Where to go after the link and the sign-in (verification.py), kept the same way
            # for a new and a known address.
            if next_url:
                request.session[NEXT_SESSION_KEY] = next_url
            request.session[SENT_TO_SESSION_KEY] = data["email"].strip().lower()
            return redirect("volunteers:sign_up_sent")
    return render(request, "volunteers/sign_up.html", {"form": form, "next": next_url})


def sign_up_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteers/sign_up_sent.html",
                  {"email": request.session.get(SENT_TO_SESSION_KEY, "")})


def _own_volunteer(request: HttpRequest) -> Volunteer:
    pk = request.user.pk
    volunteer = Volunteer.objects.filter(user_id=pk).first() if pk is not None else None
    if volunteer is None:
        raise Http404
    return volunteer


def _document_rows(volunteer: Volunteer) -> list[tuple[object, VolunteerDocument | None]]:
    """(label, current document or None) for each kind the volunteer uploads."""
    current = {d.kind: d for d in volunteer.documents.all()}
    return [(label, current.get(value)) for value, label in VolunteerDocumentKind.choices]


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(request)
    user: User = request.user
    form = ProfileForm(request.POST or None, languages=volunteer.languages, initial={
        "phone": volunteer.phone, "residence_country": str(volunteer.residence_country),
    })
    if request.method == "POST" and form.is_valid():
        try:
            signup.volunteer_profile_update(
                user=user, volunteer=volunteer, phone=form.cleaned_data["phone"],
                residence_country=form.cleaned_data["residence_country"],
                languages=form.languages(),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("Your profile is saved."))
            return redirect("volunteers:profile")
    consents = Consent.objects.filter(user=user).order_by("-given_at", "-pk")
    standing = {c.purpose for c in consents if c.withdrawn_at is None}
    rows = [(c, text_of(c.purpose, c.text_version)) for c in consents]
    return render(request, "volunteers/profile.html", {
        "volunteer": volunteer, "form": form, "consent_rows": rows,
        "document_rows": _document_rows(volunteer),
        "document_form": DocumentUploadForm(),
        "not_given": [t for t in current_texts() if t.purpose not in standing],
    })


@login_required
@require_POST
def consent_withdraw_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    consent = get_object_or_404(Consent, pk=pk, user_id=request.user.pk)
    consent_withdraw(user=request.user, consent=consent, now=timezone.now())
    messages.success(request, gettext("Your consent is withdrawn."))
    return redirect("volunteers:profile")


@login_required
@require_POST
def consent_give_view(request: AuthenticatedHttpRequest, purpose: str) -> HttpResponse:
    text = next((t for t in current_texts() if t.purpose == purpose), None)
    if text is None:
        raise Http404
    consent_give(user=request.user, purpose=text.purpose, version=text.version,
                 now=timezone.now())
    messages.success(request, gettext("Your consent is recorded."))
    return redirect("volunteers:profile")

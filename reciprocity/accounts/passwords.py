"""Password change and reset: Django's own views in the site's layout, and a notice to the
account's owner after every change (OWASP ASVS 2.2.3: a change they did not make is noticed)."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from reciprocity.accounts import rate_limits
from reciprocity.accounts.mail import account_email_send
from reciprocity.accounts.models import User
from reciprocity.accounts.signals import account_security_event


def password_changed_notify(*, user: User) -> None:
    """Tell the user (in the app and by e-mail, after commit) that their password changed."""
    account_security_event.send(
        sender=User, user=user, verb="password_changed",
        subject=_("Your Reciprocity password was changed"),
        body=_(
            "The password of your account was just changed. If you did not do it, reset your "
            "password now from the sign-in page and tell the platform staff."
        ),
    )


class LocalisedPasswordResetForm(PasswordResetForm):
    """The reset e-mail in the account owner's chosen language (the person asking may be
    reading the page in another one), queued to a worker when one is configured so that the
    answer for a known address takes no longer than for an unknown one (accounts/mail.py)."""

    def send_mail(self, subject_template_name: str, email_template_name: str,
                  context: dict[str, Any], from_email: str | None, to_email: str,
                  html_email_template_name: str | None = None) -> None:
        language = getattr(context.get("user"), "preferred_language", "")
        with translation.override(language or translation.get_language()):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
        account_email_send(subject=subject, body=body, to=to_email)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset: the same "check your e-mail" page whether the address has an account or
    not (only an account's owner gets the link). Rate-limited per address and per connection
    (accounts/rate_limits.py): a refusal is the form again with the reason, 429."""

    form_class = LocalisedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = rate_limits.account_form_wait(request, form=rate_limits.PASSWORD_RESET,
                                             email=request.POST.get("email", ""))
        if wait is None:
            return super().post(request, *args, **kwargs)
        form = self.get_form()
        rate_limits.refuse(form, wait)
        return rate_limits.too_many(
            self.render_to_response(self.get_context_data(form=form)), wait)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    # No automatic sign-in after the reset: staff and administrators still go through their
    # second factor at the next sign-in.
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        password_changed_notify(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        password_changed_notify(user=form.user)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"

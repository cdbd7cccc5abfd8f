"""Password change and reset: Django's own views in the site's layout, and a notice to the
account's owner after every change (OWASP ASVS 2.2.3: a change they did not make is noticed)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from reciprocity.accounts.models import User
from reciprocity.notifications.services import notify


def password_changed_notify(*, user: User) -> None:
    """Tell the user (in the app and by e-mail, after commit) that their password changed."""
    notify(
        users=[user],
        verb="password_changed",
        subject=_("Your Reciprocity password was changed"),
        body=_(
            "The password of your account was just changed. If you did not do it, reset your "
            "password now from the sign-in page and tell the platform staff."
        ),
    )


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


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

from django.contrib.auth import views as auth_views
from django.urls import path

from reciprocity.accounts import (
    calendar_views,
    invitation_views,
    passwords,
    tokens,
    verification,
)
from reciprocity.accounts.two_factor import views as two_factor

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", calendar_views.account, name="account"),
    path("calendar/reset/", calendar_views.calendar_reset, name="calendar_reset"),
    path("calendar/revoke/", calendar_views.calendar_revoke, name="calendar_revoke"),
    path("password/change/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", passwords.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("password/reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", passwords.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("password/reset/complete/", passwords.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("tokens/", tokens.token_index, name="tokens"),
    path("invitations/<str:token>/", invitation_views.invitation, name="invitation"),
    path("verify/resend/", verification.resend, name="verify_email_resend"),
    path("verify/<str:token>/", verification.verify_email, name="verify_email"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("password/reset/<uidb64>/<token>/", passwords.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("two-factor/", two_factor.manage, name="two_factor"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/enrol/", two_factor.enrol, name="two_factor_enrol"),
    path("two-factor/recovery-codes/", two_factor.regenerate, name="two_factor_regenerate"),
    path("two-factor/remove/", two_factor.remove, name="two_factor_remove"),
]

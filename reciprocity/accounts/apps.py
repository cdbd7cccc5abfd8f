from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reciprocity.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from reciprocity.accounts.language import remember_language_at_sign_in
        from reciprocity.accounts.session_timeout import session_stamp_sign_in
        from reciprocity.accounts.two_factor import sealing

        # django-otp's TOTP secrets are encrypted at rest (two_factor/sealing.py, ADR 0012).
        sealing.install()

        # The session's clocks start at the sign-in, not at the next request.
        user_logged_in.connect(session_stamp_sign_in, dispatch_uid="accounts_session_stamp")
        # A person with no language chosen yet keeps the one they signed in with.
        user_logged_in.connect(remember_language_at_sign_in, dispatch_uid="accounts_language")

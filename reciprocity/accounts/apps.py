from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reciprocity.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from reciprocity.accounts.session_timeout import session_stamp_sign_in

        # The session's clocks start at the sign-in, not at the next request.
        user_logged_in.connect(session_stamp_sign_in, dispatch_uid="accounts_session_stamp")

from typing import Any

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
        _follow_identity_rows()


def _follow_identity_rows() -> None:
    """The processes' copies of signed-in users (accounts/identity.py) follow every write of the
    rows they hold, whoever writes them: the user, their memberships, their devices."""
    from django.db.models.signals import post_delete, post_save
    from django_otp import device_classes

    from reciprocity.accounts.models import Membership, User

    for model in [User, Membership, *device_classes()]:
        uid = f"identity-{model._meta.label_lower}"
        post_save.connect(_identity_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_identity_changed, sender=model, dispatch_uid=f"{uid}-delete")


def _identity_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from reciprocity.accounts import identity
    from reciprocity.accounts.models import User

    identity.user_changed(instance.pk if isinstance(instance, User) else instance.user_id)

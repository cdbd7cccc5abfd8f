"""Django's ModelBackend, with the signed-in user read from this process's copy
(accounts/identity.py) rather than the database at each request."""

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from reciprocity.accounts import identity

# Sessions signed in before this backend existed name Django's; SessionBackendMiddleware moves
# them here at their next request, so nobody is signed out by the upgrade.
DJANGO_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
MODEL_BACKEND = "reciprocity.accounts.backends.ModelBackend"


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> Any:
        # Django's checks (the row exists, the account is active) on the copy or the row;
        # django.contrib.auth.get_user then verifies the session against it, as always.
        return identity.cached_user(user_id, lambda: super(ModelBackend, self).get_user(user_id))

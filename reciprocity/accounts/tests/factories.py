import factory

from reciprocity.accounts.models import ApiToken, Membership, MembershipRole, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or "pass-word-123")
        if create:
            self.save(update_fields=["password"])


class StaffFactory(UserFactory):
    is_staff = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory("reciprocity.partners.tests.factories.OrganisationFactory")
    role = MembershipRole.OFFICER


def api_token_for(user: User, *, organisation: object = "first", scope: str = "read-write",
                  **fields: object) -> str:
    """A new API token of `user` (clear value returned). By default a staff user's acts for the
    whole platform, anyone else's for their first organisation."""
    if organisation == "first" and (user.is_staff or user.is_superuser):
        organisation = None
    elif organisation == "first":
        first = Membership.objects.filter(user=user).order_by("pk").first()
        organisation = first.organisation if first else None
    key = ApiToken.generate()
    ApiToken.objects.create(user=user, name="t", key_hash=ApiToken.hash(key), prefix=key[:8],
                            organisation=organisation, scope=scope, **fields)
    return key

from django.db.models import Count, Q, QuerySet

from reciprocity.accounts.selectors import AnyUser
from reciprocity.partners.models import Organisation


def organisations_visible_to(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations are public facts for signed-in users; anonymous visitors see none."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.all()


def organisation_list(*, user: AnyUser, country: str = "", search: str = "") -> QuerySet[Organisation]:
    qs = organisations_visible_to(user).annotate(mission_count=Count("missions"))
    if country:
        qs = qs.filter(country=country.upper())
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(acronym__icontains=search))
    return qs.order_by("name")

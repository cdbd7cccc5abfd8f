import datetime

import factory

from reciprocity.partners.models import Accreditation, AccreditationKind, Organisation


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    country = "FR"
    city = "Lyon"
    is_host = True
    is_sending = True


class AccreditationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accreditation

    organisation = factory.SubFactory(OrganisationFactory)
    scheme_id = "service_civique"
    kind = AccreditationKind.INDIVIDUAL
    number = factory.Sequence(lambda n: f"NA-000-23-{n:05d}")
    authorised_volunteers = 5
    valid_from = datetime.date(2024, 1, 1)
    valid_to = datetime.date(2027, 12, 31)
    issuer = "Agence du Service Civique"

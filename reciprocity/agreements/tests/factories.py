import datetime

import factory

from reciprocity.agreements.models import Agreement, AgreementStatus, Programme
from reciprocity.partners.tests.factories import OrganisationFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    countries = ["FR", "SN"]
    start_date = datetime.date(2020, 1, 1)
    coordinator = factory.SubFactory(OrganisationFactory)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    reference = factory.Sequence(lambda n: f"agr-{n}")
    title = factory.Sequence(lambda n: f"Agreement {n}")
    party_a = factory.SubFactory(OrganisationFactory, country="FR")
    party_b = factory.SubFactory(OrganisationFactory, country="SN")
    start_date = datetime.date(2020, 1, 1)
    end_date = datetime.date(2030, 12, 31)
    quota_a_to_b = 10
    quota_b_to_a = 10
    tolerance = 3
    status = AgreementStatus.ACTIVE

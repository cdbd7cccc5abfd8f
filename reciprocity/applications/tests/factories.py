import factory

from reciprocity.applications.models import Application, ApplicationChoice, ApplicationStatus
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    volunteer = factory.SubFactory(VolunteerFactory)
    sending_organisation = factory.SelfAttribute("volunteer.sending_organisation")
    motivation = "I want to learn and to share."
    status = ApplicationStatus.SUBMITTED


class ApplicationChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationChoice

    application = factory.SubFactory(ApplicationFactory)
    mission = factory.SubFactory(MissionFactory)
    rank = 1

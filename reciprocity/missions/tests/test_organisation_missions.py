"""An organisation's page lists the missions it hosts through missions' template tag
(`missions_panels.organisation_missions`): partners' page imports nothing from missions."""

import pytest
from django.urls import reverse

from reciprocity.accounts.tests.factories import StaffFactory
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_organisation_page_lists_its_missions_and_not_others(client):
    host = OrganisationFactory()
    hosted = MissionFactory(host=host, title="Beach clean-up in Brest")
    other = MissionFactory(title="Library in Lomé")
    client.force_login(StaffFactory())

    page = client.get(reverse("partners:detail", args=[host.pk])).content.decode()

    assert reverse("missions:detail", args=[hosted.pk]) in page and hosted.title in page
    assert other.title not in page


def test_an_organisation_without_missions_says_so(client):
    client.force_login(StaffFactory())

    page = client.get(reverse("partners:detail", args=[OrganisationFactory().pk])).content.decode()

    assert "No mission." in page

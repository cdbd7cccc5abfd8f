"""Pages of pairing runs, the export, and the partner shown on both placements' pages."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.matching.models import PairingRun, RunStatus
from reciprocity.matching.pairing_services import pairing_run_accept
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import PairingMember

pytestmark = pytest.mark.django_db

# The suite's frozen moment (root conftest), passed in as the edges would.
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)


def test_the_officer_creates_reviews_and_accepts_a_run(client, cohort, django_capture_on_commit_callbacks):
    client.force_login(cohort.officer)
    assert client.get(reverse("matching:pairing_list")).status_code == 200
    assert client.get(reverse("matching:pairing_create")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:pairing_create"), {
            "label": "WECCEE autumn", "programme": cohort.programme.pk,
            "season_start": "2027-09-01", "season_end": "2027-10-31", "min_overlap_days": 14,
        })
    run = PairingRun.objects.get(label="WECCEE autumn")
    assert response.status_code == 302 and run.status == RunStatus.SUCCEEDED

    page = client.get(reverse("matching:pairing_detail", args=[run.pk])).content.decode()
    assert "Camille Pairing" in page and "Awa Pairing" in page
    assert "Both speak French" in page and "Environment" in page
    assert "No compatible partner" in page  # Louis

    response = client.post(reverse("matching:pairing_accept", args=[run.pk]), {"all": "1"})
    assert response.status_code == 302
    assert PairingMember.objects.filter(placement=cohort.camille).exists()


def test_the_export_names_labels_and_neutralises_formulas(client, cohort, run_for):
    cohort.awa.mission.title = "=HYPERLINK(\"http://evil.example\")"
    cohort.awa.mission.save()
    run = run_for(cohort)
    client.force_login(cohort.officer)

    response = client.get(reverse("matching:pairing_export", args=[run.pk, "csv"]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "French volunteer"
    assert rows[1][0] == "Camille Pairing" and rows[1][3] == "Senegal"
    assert rows[1][4].startswith("'=HYPERLINK")
    assert rows[1][6] == "French" and rows[1][11] == "To review"
    xlsx = client.get(reverse("matching:pairing_export", args=[run.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(reverse("matching:pairing_export", args=[run.pk, "pdf"])).status_code == 404


def test_both_placements_show_the_partner_masked_for_who_may_not_see_it(client, cohort, run_for):
    run = run_for(cohort)
    pairing_run_accept(run=run, actor=cohort.officer, now=NOW)

    client.force_login(StaffFactory())
    page = client.get(reverse("placements:detail", args=[cohort.awa.pk])).content.decode()
    assert "Binôme: Camille Pairing, Mission of Camille" in page
    page = client.get(reverse("placements:detail", args=[cohort.camille.pk])).content.decode()
    assert "Binôme: Awa Pairing, Mission of Awa" in page

    # The volunteer sees their own placement only: the fact of the pairing, not the partner.
    awa_user = UserFactory(username="awa")
    cohort.awa.volunteer.user = awa_user
    cohort.awa.volunteer.save()
    client.force_login(awa_user)
    page = client.get(reverse("placements:detail", args=[cohort.awa.pk])).content.decode()
    assert "paired with another volunteer" in page and "Camille" not in page


def test_other_users_get_403_and_other_coordinators_404(client, cohort, run_for):
    run = run_for(cohort)
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("matching:pairing_list")).status_code == 403
    assert client.get(reverse("matching:pairing_detail", args=[run.pk])).status_code == 403
    other = MembershipFactory(organisation=OrganisationFactory(is_coordinator=True),
                              role=MembershipRole.OFFICER).user
    client.force_login(other)
    assert client.get(reverse("matching:pairing_list")).status_code == 200
    assert client.get(reverse("matching:pairing_detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("matching:pairing_export", args=[run.pk, "csv"])).status_code == 404

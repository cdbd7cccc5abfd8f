"""The placement's PDFs: text extracted with pypdf carries the fields; the visa letter never
speaks of work."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from pypdf import PdfReader

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.core.exceptions import ApplicationError
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.models import Accreditation
from reciprocity.partners.tests.factories import AccreditationFactory
from reciprocity.placements import services
from reciprocity.placements.documents import document_render
from reciprocity.placements.models import PlacementStatus
from reciprocity.schemes.models import SchemeRule
from reciprocity.workflow import services as workflow

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 26)
READER = AnonymousUser()  # the content tests below do not depend on who reads


def text(pdf: bytes) -> str:
    raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", raw)


@pytest.fixture
def placement(network):
    network.host.address = "12 rue des Lilas"
    network.host.contact_name = "Claire Martin"
    network.host.save()
    # The letter names this accreditation: the network's own (for eligibility) makes way.
    Accreditation.objects.filter(organisation=network.host, scheme_id="service_civique").delete()
    AccreditationFactory(organisation=network.host, number="NA-075-23-00042-00",
                         valid_to=datetime.date(2028, 12, 31))
    for key, value in (("state_allowance_net_eur_month", 507.21),
                       ("subsistence_min_eur_month", 114.85),
                       ("early_termination_notice_months", 1)):
        SchemeRule.objects.create(scheme_id="service_civique", key=key, value=value,
                                  effective_from=datetime.date(2025, 1, 1))
    placement = services.placement_propose(
        volunteer=network.volunteer, mission=network.missions[0], tutor_name="Jean Dupont",
        tutor_email="jean.dupont@example.org", tutor_phone="+33 1 23 45 67 89",
    )
    return workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_invitation_names_the_volunteering_never_work(placement, language):
    content = text(document_render(reader=READER, placement=placement, kind="invitation", language=language, today=TODAY))

    assert placement.volunteer.last_name in content and "Maison des Solidarités" in content
    assert "NA-075-23-00042-00" in content
    assert ("Togo" in content) and ("Lyon" in content)
    if language == "fr":
        assert "mission de volontariat" in content and "1 mars 2027" in content
    else:
        assert "volunteering mission" in content and "1 March 2027" in content
    for word in ("work", "travail", "emploi"):
        assert word not in content.lower(), word


def test_invitation_for_a_work_camp_does_not_say_work_either(network):
    mission = MissionFactory(host=network.host, scheme_id="workcamp", title="Homework club",
                             description="Teamwork on the roof; travail de rénovation.",
                             start_date=datetime.date(2027, 7, 1), end_date=datetime.date(2027, 7, 21))
    placement = workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(),
        placement=services.placement_propose(volunteer=network.volunteer, mission=mission),
        actor=network.host_officer,
    )
    for language in ("fr", "en"):
        content = text(document_render(reader=READER, placement=placement, kind="invitation", language=language, today=TODAY)).lower()
        assert "work" not in content and "travail" not in content and "emploi" not in content


def test_contract_carries_the_mandatory_fields_of_r121_10(placement):
    content = text(document_render(reader=READER, placement=placement, kind="contract", language="fr", today=TODAY))

    for expected in (
        "Maison des Solidarités", "12 rue des Lilas", "Claire Martin",  # parties and addresses
        placement.volunteer.first_name, "Togo",
        placement.mission.title, placement.mission.description,  # the mission
        "1 mars 2027", "31 août 2027", "6,00 mois", "28 heures",  # duration
        "Préparation", "Lyon",  # preparation, place
        "Jean Dupont", "jean.dupont@example.org", "+33 1 23 45 67 89",  # tutor
        "Congés", "jours de congés",  # leave
        "Rupture anticipée", "1 mois",  # early termination
        "507,21 € nets", "114,85 € par mois",  # allowance and subsistence, from the scheme rules
        "Avantages en nature", "Formation civique et citoyenne", "projet d'avenir",
    ):
        assert expected in content, expected


def test_contract_in_english(placement):
    content = text(document_render(reader=READER, placement=placement, kind="contract", language="en", today=TODAY))
    assert "Service Civique engagement contract" in content
    assert "Jean Dupont" in content and "€507.21 net" in content and "Civic and citizen training" in content


def test_attestation_of_care(placement):
    fr = text(document_render(reader=READER, placement=placement, kind="attestation", language="fr", today=TODAY))
    en = text(document_render(reader=READER, placement=placement, kind="attestation", language="en", today=TODAY))
    assert "Attestation de prise en charge" in fr and "Hébergement" in fr and "114,85 €" in fr
    assert "Attestation of care" in en and "Accommodation" in en


def test_certificate_only_at_the_end_and_says_how_it_ended(placement, network):
    with pytest.raises(ApplicationError):
        document_render(reader=READER, placement=placement, kind="certificate", language="fr", today=TODAY)
    placement = workflow.placement_start(placement=placement, actor=network.host_officer)
    placement = workflow.placement_interrupt(placement=placement, actor=network.host_officer,
                                             on=datetime.date(2027, 5, 15), reason="Health")

    content = text(document_render(reader=READER, placement=placement, kind="certificate", language="fr", today=TODAY))

    assert "Attestation de fin de mission" in content and "15 mai 2027" in content
    assert "anticipée" in content


def test_no_document_before_confirmation_nor_contract_outside_service_civique(network):
    proposed = services.placement_propose(volunteer=network.volunteer, mission=network.missions[1])
    with pytest.raises(ApplicationError):
        document_render(reader=READER, placement=proposed, kind="invitation", language="fr", today=TODAY)
    vsi = MissionFactory(host=network.host, scheme_id="vsi")
    placement = workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(),
        placement=services.placement_propose(volunteer=network.volunteer, mission=vsi),
        actor=network.host_officer,
    )
    with pytest.raises(ApplicationError):
        document_render(reader=READER, placement=placement, kind="contract", language="fr", today=TODAY)


def test_download_is_limited_to_people_who_see_the_placement(client, placement, network):
    url = f"/placements/{placement.pk}/documents/invitation.pdf?lang=en"
    client.force_login(network.sender_viewer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert placement.status == PlacementStatus.CONFIRMED

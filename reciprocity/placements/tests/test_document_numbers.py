"""The identity-document number in the placement's PDFs, read as text (pypdf) for each reader:
in full for staff and the volunteer, and for the host's administrators and officers in the
invitation letter and the contract; masked for everyone else. Every download, from a page or
the API, is in the personal-data access log."""

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.partners.tests.factories import AccreditationFactory
from reciprocity.placements import services
from reciprocity.volunteers.models import AccessAction, AccessChannel, PersonalDataAccess
from reciprocity.workflow import services as workflow

pytestmark = pytest.mark.django_db
NUMBER = "AB1234567"
MASKED = "••••••567"


def text(pdf: bytes) -> str:
    raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", raw)


@pytest.fixture
def placement(network):
    network.volunteer.id_document_kind = "passport"
    network.volunteer.id_document_number = NUMBER
    network.volunteer.save()
    AccreditationFactory(organisation=network.host)
    placement = services.placement_propose(volunteer=network.volunteer, mission=network.missions[0])
    return workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer)


def reader(network, role: str):
    if role == "staff":
        return StaffFactory()
    if role == "volunteer":
        return network.volunteer_user
    side, _, level = role.partition("_")
    organisation = network.host if side == "host" else network.sender
    return MembershipFactory(organisation=organisation, role=level).user


FULL_EVERYWHERE = ["staff", "volunteer"]
FULL_IN_LEGAL = [f"host_{MembershipRole.ADMIN}", f"host_{MembershipRole.OFFICER}"]
MASKED_EVERYWHERE = [f"host_{MembershipRole.VIEWER}", f"sender_{MembershipRole.ADMIN}",
                     f"sender_{MembershipRole.OFFICER}", f"sender_{MembershipRole.VIEWER}"]


def download(client, placement, kind: str, face: str):
    if face == "page":
        url = f"/placements/{placement.pk}/documents/{kind}.pdf?lang=en"
    else:
        url = f"/api/v1/placements/{placement.pk}/documents/{kind}?lang=en"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return text(response.content)


ROLES = FULL_EVERYWHERE + FULL_IN_LEGAL + MASKED_EVERYWHERE


@pytest.mark.parametrize(("kind", "face"), [("invitation", "page"), ("contract", "page"),
                                            ("invitation", "api")])
@pytest.mark.parametrize("role", ROLES)
def test_the_legal_documents_show_the_number_in_full_only_to_those_who_need_it(
    client, network, placement, role, kind, face
):
    user = reader(network, role)
    client.force_login(user)

    content = download(client, placement, kind, face)

    assert placement.volunteer.last_name in content
    if role in MASKED_EVERYWHERE:
        assert NUMBER not in content and MASKED in content
    else:
        assert NUMBER in content
    logged = PersonalDataAccess.objects.get(volunteer=placement.volunteer, actor=user)
    assert logged.action == AccessAction.DOCUMENT_DOWNLOAD
    assert logged.channel == (AccessChannel.PAGE if face == "page" else AccessChannel.API)
    expected = "masked" if role in MASKED_EVERYWHERE else "full"
    assert logged.detail == f"{kind} (en), number: {expected}"


@pytest.mark.parametrize("role", FULL_IN_LEGAL + MASKED_EVERYWHERE)
def test_other_documents_never_carry_the_full_number_for_members(client, network, placement, role):
    client.force_login(reader(network, role))

    content = download(client, placement, "attestation", "page")

    assert NUMBER not in content


def test_a_stranger_gets_nothing_and_nothing_is_logged(client, network, placement):
    client.force_login(UserFactory())

    assert client.get(f"/placements/{placement.pk}/documents/invitation.pdf").status_code == 404
    assert client.get(f"/api/v1/placements/{placement.pk}/documents/invitation").status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_a_document_not_available_yet_is_not_logged(client, network):
    proposed = services.placement_propose(volunteer=network.volunteer, mission=network.missions[1])
    client.force_login(network.host_officer)

    client.get(f"/placements/{proposed.pk}/documents/invitation.pdf")
    assert client.get(f"/api/v1/placements/{proposed.pk}/documents/invitation").status_code >= 400
    assert not PersonalDataAccess.objects.exists()


def test_no_document_template_reads_the_number_from_the_record():
    """Templates print `id_document_number` from the context (full or masked for the reader);
    `volunteer.id_document_number` would print it in full to everyone."""
    import pathlib

    from django.conf import settings

    folders = [pathlib.Path(d) / "documents" for t in settings.TEMPLATES for d in t["DIRS"]]
    folders.append(pathlib.Path(__file__).resolve().parents[2] / "templates" / "documents")
    templates = [p for folder in folders if folder.is_dir() for p in folder.rglob("*.html")]
    assert templates
    for path in templates:
        assert "volunteer.id_document_number" not in path.read_text(encoding="utf-8"), path

"""Signing a placement's contract or agreement: each party for itself, every party the same
frozen bytes (SHA-256 of what is stored), a new version once the placement changed, the page,
the API, the volunteer's export and the erasure of the files on anonymisation."""

import datetime
import hashlib
import json

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, api_token_for
from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.placements.models import DocumentSignature, DocumentVersion, PlacementStatus
from reciprocity.placements.signatures import (
    document_sign,
    document_statuses,
    signing_parties,
    version_bytes,
)
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.models import AccessAction, PersonalDataAccess
from reciprocity.workflow.personal_data import volunteer_anonymise, volunteer_export

pytestmark = pytest.mark.django_db

# The suite's frozen moment (root conftest), passed in as the edges would.
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 26)


def placement_for(network, scheme: str = "service_civique", **fields):
    mission = MissionFactory(host=network.host, scheme_id=scheme)
    return PlacementFactory(volunteer=network.volunteer, mission=mission, **fields)


def sign(placement, role, actor, kind="contract", **kwargs):
    return document_sign(placement=placement, kind=kind, role=role, actor=actor, today=TODAY,
                         now=NOW, **kwargs)


def test_every_party_signs_the_same_stored_bytes(network):
    placement = placement_for(network)

    first = sign(placement, "volunteer", network.volunteer_user, language="en")
    second = sign(placement, "host", network.host_officer)

    version = DocumentVersion.objects.get(placement=placement, kind="contract")
    stored = default_storage.open(version.file.name).read()
    assert stored.startswith(b"%PDF")
    assert first.version == second.version == version
    assert first.sha256 == second.sha256 == version.sha256 == hashlib.sha256(stored).hexdigest()
    assert (first.language, first.signed_by, second.signed_by) == (
        "en", network.volunteer_user, network.host_officer)
    [status] = document_statuses(placement=placement, user=network.host_officer)
    assert status.complete and status.may_sign == []


@pytest.mark.parametrize(("who", "role"), [
    ("sender_viewer", "sending"),        # viewers never sign
    ("host_officer", "volunteer"),       # a host signs only for the host
    ("volunteer_user", "host"),          # the volunteer only for themself
    ("other_host_officer", "host"),      # another host's officer
    ("staff", "host"),                   # staff are not a party
    ("sender_officer", "sending"),       # the Service Civique contract has no sending party
    ("host_viewer", "host"),
])
def test_each_party_signs_only_for_its_own_role(network, who, role):
    placement = placement_for(network)
    if who == "staff":
        user = StaffFactory()
    elif who == "host_viewer":
        user = MembershipFactory(organisation=network.host, role=MembershipRole.VIEWER).user
    else:
        user = getattr(network, who)

    with pytest.raises(NotAllowed) as refused:
        sign(placement, role, user)

    assert refused.value.code == "sign_not_allowed"
    assert not DocumentVersion.objects.filter(placement=placement).exists()


def test_the_host_administrator_and_the_sending_officer_sign_the_esc_agreement(network):
    placement = placement_for(network, "esc")
    admin = MembershipFactory(organisation=network.host, role=MembershipRole.ADMIN).user

    sign(placement, "host", admin, kind="esc_agreement")
    sign(placement, "sending", network.sender_officer, kind="esc_agreement")
    sign(placement, "volunteer", network.volunteer_user, kind="esc_agreement")

    [status] = document_statuses(placement=placement, user=admin)
    assert status.parties == ["volunteer", "host", "sending"] and status.complete


def test_without_a_sending_organisation_the_letter_has_two_parties(network):
    placement = placement_for(network, "workcamp", sending_organisation=None)

    assert signing_parties(placement, "workcamp_letter") == ["host", "volunteer"]
    with pytest.raises(NotAllowed):
        sign(placement, "sending", network.sender_officer, kind="workcamp_letter")


def test_a_party_signs_a_version_once(network):
    placement = placement_for(network)
    sign(placement, "host", network.host_officer)

    with pytest.raises(InvalidTransition) as refused:
        sign(placement, "host", network.host_officer)

    assert refused.value.code == "already_signed"


def test_later_signers_sign_the_frozen_language(network):
    placement = placement_for(network)
    sign(placement, "host", network.host_officer, language="fr")

    with pytest.raises(InvalidTransition) as refused:
        sign(placement, "volunteer", network.volunteer_user, language="en")

    assert refused.value.code == "version_in_other_language"
    assert refused.value.details == {"language": "fr"}


def test_a_change_after_a_signature_needs_a_new_version_signed_by_all(network):
    placement = placement_for(network, tutor_name="Jean Dupont")
    first = sign(placement, "host", network.host_officer)
    old_bytes = version_bytes(first.version)

    placement.tutor_name = "Aïcha Diallo"
    placement.save()
    [status] = document_statuses(placement=placement, user=network.volunteer_user)
    assert status.outdated and not status.complete and status.may_sign == ["volunteer"]
    assert [row["signature"] for row in status.party_rows()] == [None, None]

    second = sign(placement, "volunteer", network.volunteer_user)

    assert second.version.number == 2 and second.version != first.version
    assert version_bytes(first.version) == old_bytes  # the signed version is kept as it was
    assert hashlib.sha256(old_bytes).hexdigest() == first.sha256
    [status] = document_statuses(placement=placement, user=network.host_officer)
    assert status.is_current and status.may_sign == ["host"]  # the host signs again


def test_an_altered_stored_file_is_refused(network):
    placement = placement_for(network)
    version = sign(placement, "host", network.host_officer).version
    with default_storage.open(version.file.name, "wb") as handle:
        handle.write(b"%PDF-1.7 something else")

    with pytest.raises(InvalidTransition) as refused:
        sign(placement, "volunteer", network.volunteer_user)

    assert refused.value.code == "signed_file_altered"


def test_no_signature_before_confirmation_or_for_another_scheme(network):
    proposed = placement_for(network, status=PlacementStatus.PROPOSED)
    with pytest.raises(ApplicationError) as refused:
        sign(proposed, "host", network.host_officer)
    assert refused.value.code == "document_not_signable"

    with pytest.raises(ApplicationError) as refused:
        sign(placement_for(network), "host", network.host_officer, kind="vsi_contract")
    assert refused.value.code == "document_not_signable"


def test_the_page_lists_the_document_and_signs_it(client, network):
    placement = placement_for(network)
    client.force_login(network.host_officer)
    page = client.get(reverse("placements:detail", args=[placement.pk])).content.decode()
    assert 'id="sign-contract"' in page and 'name="role" value="host"' in page

    response = client.post(reverse("placements:document-sign", args=[placement.pk, "contract"]),
                           {"role": "host", "lang": "en"})

    assert response.status_code == 302
    signature = DocumentSignature.objects.get(placement=placement)
    assert (signature.role, signature.language) == ("host", "en")
    page = client.get(reverse("placements:detail", args=[placement.pk])).content.decode()
    assert 'name="role" value="host"' not in page
    pdf = client.get(reverse("placements:signed-version", args=[placement.pk, signature.version_id]))
    assert hashlib.sha256(pdf.content).hexdigest() == signature.sha256
    assert PersonalDataAccess.objects.filter(
        volunteer=placement.volunteer, action=AccessAction.DOCUMENT_DOWNLOAD,
        detail__startswith="contract v1 signed").exists()


def test_the_page_says_when_the_signed_version_differs(client, network):
    placement = placement_for(network)
    sign(placement, "host", network.host_officer)
    placement.end_date = placement.end_date - datetime.timedelta(days=30)
    placement.save()
    client.force_login(network.volunteer_user)

    page = client.get(reverse("placements:detail", args=[placement.pk])).content.decode()

    assert "the signed version differs from the current data" in page
    assert 'name="role" value="volunteer"' in page


def test_a_viewer_posting_a_signature_gets_nothing_signed(client, network):
    placement = placement_for(network, "esc")
    client.force_login(network.sender_viewer)
    page = client.get(reverse("placements:detail", args=[placement.pk])).content.decode()
    assert 'id="sign-esc_agreement"' in page and 'name="role"' not in page

    client.post(reverse("placements:document-sign", args=[placement.pk, "esc_agreement"]),
                {"role": "sending"})

    assert not DocumentSignature.objects.exists()


def test_an_outsider_neither_sees_nor_signs(client, network):
    placement = placement_for(network)
    client.force_login(network.other_host_officer)

    response = client.post(reverse("placements:document-sign", args=[placement.pk, "contract"]),
                           {"role": "host"})

    assert response.status_code == 404 and not DocumentSignature.objects.exists()


def test_api_lists_and_signs(client, network):
    placement = placement_for(network)
    key = api_token_for(network.host_officer)
    headers = {"Authorization": f"Bearer {key}"}

    signed = client.post(f"/api/v1/placements/{placement.pk}/documents/contract/sign",
                         json.dumps({"role": "host"}), content_type="application/json",
                         headers=headers)
    listed = client.get(f"/api/v1/placements/{placement.pk}/signatures", headers=headers)

    assert signed.status_code == 201, signed.content
    body = listed.json()
    assert [d["kind"] for d in body] == ["contract"]
    [doc] = body
    assert doc["parties"] == ["volunteer", "host"] and doc["may_sign"] == []
    assert doc["signatures"][0]["sha256"] == signed.json()["sha256"] == doc["version"]["sha256"]
    pdf = client.get(f"/api/v1/placements/{placement.pk}/documents/versions/{doc['version']['id']}",
                     headers=headers)
    assert hashlib.sha256(pdf.content).hexdigest() == doc["version"]["sha256"]


def test_api_refuses_a_viewer_and_a_read_only_token(client, network):
    placement = placement_for(network, "esc")
    for user, scope, status in ((network.sender_viewer, "read-write", 403),
                                (network.sender_officer, "read", 403)):
        response = client.post(
            f"/api/v1/placements/{placement.pk}/documents/esc_agreement/sign",
            json.dumps({"role": "sending"}), content_type="application/json",
            headers={"Authorization": f"Bearer {api_token_for(user, scope=scope)}"})
        assert response.status_code == status, response.content
    assert not DocumentSignature.objects.exists()


def test_signatures_in_the_volunteers_export_and_files_erased_on_anonymisation(
    network, django_capture_on_commit_callbacks
):
    placement = placement_for(network)
    signature = sign(placement, "volunteer", network.volunteer_user)

    export = volunteer_export(volunteer=network.volunteer, now=NOW)

    [row] = export["document_signatures"]
    assert (row["document"], row["signed_as"], row["sha256"], row["by_you"]) == (
        "contract", "volunteer", signature.sha256, True)

    name = signature.version.file.name
    placement.status = PlacementStatus.COMPLETED
    placement.save()
    with django_capture_on_commit_callbacks(execute=True):
        volunteer_anonymise(volunteer=network.volunteer, actor=None, now=NOW)

    assert not default_storage.exists(name)
    signature.refresh_from_db()
    assert signature.sha256 and signature.version.file.name == ""  # the record stays


def test_permission_sweep_of_the_signature_routes(client, network):
    """Every signature route, tried by people who must not sign or read: anonymous visitors,
    an unrelated organisation's administrator, the host's and the sender's viewers."""
    placement = placement_for(network, "esc")
    version = sign(placement, "host", network.host_officer, kind="esc_agreement").version
    pages = [
        ("post", reverse("placements:document-sign", args=[placement.pk, "esc_agreement"])),
        ("get", reverse("placements:signed-version", args=[placement.pk, version.pk])),
    ]
    api = [
        ("get", f"/api/v1/placements/{placement.pk}/signatures"),
        ("post", f"/api/v1/placements/{placement.pk}/documents/esc_agreement/sign"),
        ("get", f"/api/v1/placements/{placement.pk}/documents/versions/{version.pk}"),
    ]
    for method, url in pages + api:
        if method == "post":
            response = client.post(url, json.dumps({"role": "sending"}),
                                   content_type="application/json")
        else:
            response = client.get(url)
        assert response.status_code in {302, 401}, (method, url, response.status_code)

    outsider = MembershipFactory(role=MembershipRole.ADMIN).user
    viewers = [MembershipFactory(organisation=network.host, role=MembershipRole.VIEWER).user,
               network.sender_viewer]
    for user in [outsider, *viewers]:
        client.force_login(user)
        headers = {"Authorization": f"Bearer {api_token_for(user)}"}
        for role in ("volunteer", "host", "sending"):
            client.post(pages[0][1], {"role": role})
            response = client.post(api[1][1], json.dumps({"role": role}),
                                   content_type="application/json", headers=headers)
            assert response.status_code in {403, 404}, (user, role, response.status_code)
        for method, url in (pages[1], api[0], api[2]):
            response = getattr(client, method)(url, headers=headers)
            expected = {404} if user == outsider else {200}  # viewers read, never sign
            assert response.status_code in expected, (user, url, response.status_code)
    assert DocumentSignature.objects.count() == 1

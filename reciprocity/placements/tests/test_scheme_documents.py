"""The contract or agreement of every scheme, rendered by WeasyPrint and read back with pypdf:
the mentions each one must carry, in French and in English, wording that rules.md could not
verify printed from the scheme rules (data), and the identity number masked as the reader may
read it."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from pypdf import PdfReader

from reciprocity.core.exceptions import ApplicationError
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.placements.documents import document_render, document_unconfirmed
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.schemes.models import SchemeRule
from reciprocity.schemes.services import rules_load_from_files

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 26)
READER = AnonymousUser()


def text(pdf: bytes) -> str:
    raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", raw)


@pytest.fixture
def rules(db):
    rules_load_from_files()


def placement_for(network, scheme: str, **mission):
    mission.setdefault("start_date", datetime.date(2027, 3, 1))
    mission.setdefault("end_date", datetime.date(2028, 2, 29))
    network.volunteer.id_document_number = "AB1234678"
    network.volunteer.save()
    return PlacementFactory(
        volunteer=network.volunteer,
        mission=MissionFactory(host=network.host, scheme_id=scheme, **mission),
        tutor_name="Jean Dupont",
    )


# What each document must say, per language (rules.md §2, §3, §6 and the brief).
MENTIONS = {
    ("vsi", "vsi_contract", "fr"): [
        "Contrat de volontariat de solidarité internationale", "loi n° 2005-159",
        "Association agréée", "ne relève pas du code du travail", "VLS-TS", "« visiteur »",
        "regagner son pays d'origine", "régime général", "150 € par mois", "préavis d'au moins 1 mois",
        "formation préalable", "frais de voyage", "1 mars 2027", "29 février 2028",
    ],
    ("vsi", "vsi_contract", "en"): [
        "International solidarity volunteering contract", "law no. 2005-159",
        "Approved association", "outside the French Labour Code", "VLS-TS", "'visitor'",
        "return to their home country", "general social security scheme", "150 € a month",
        "at least 1 month", "training before the mission", "travel costs", "1 March 2027",
    ],
    ("esc", "esc_agreement", "fr"): [
        "Convention de volontariat", "Corps européen de solidarité", "Organisation d'accueil",
        "Organisation de soutien", "ANVT", "Assurance", "assuré pendant toute la durée",
        "argent de poche", "Mentor", "entre 30 et 38 heures", "1 mars 2027",
    ],
    ("esc", "esc_agreement", "en"): [
        "Volunteering agreement", "European Solidarity Corps", "Host organisation",
        "Supporting organisation", "ANVT", "Insurance", "insured for the whole activity",
        "pocket money", "Mentor", "between 30 and 38 hours", "1 March 2027",
    ],
    ("workcamp", "workcamp_letter", "fr"): [
        "Confirmation de participation", "Chantier international de bénévoles",
        "bénévolat", "hébergement et les repas", "dans les 14 jours", "21 jours avant",
        "ANVT", "au plus 35 heures", "1 juillet 2027",
    ],
    ("workcamp", "workcamp_letter", "en"): [
        "Confirmation of participation", "International volunteer project",
        "unpaid volunteering", "accommodation and meals", "within 14 days", "21 days before",
        "ANVT", "at most 35 hours", "1 July 2027",
    ],
}


@pytest.mark.parametrize(("scheme", "kind", "language"), list(MENTIONS))
def test_each_scheme_document_carries_its_mentions(network, rules, scheme, kind, language):
    dates = {}
    if scheme == "workcamp":
        dates = {"start_date": datetime.date(2027, 7, 1), "end_date": datetime.date(2027, 7, 21),
                 "weekly_hours": None}
    if scheme == "esc":
        dates = {"weekly_hours": None}
    placement = placement_for(network, scheme, **dates)

    content = text(document_render(placement=placement, kind=kind, language=language,
                                   reader=READER, today=TODAY))

    for mention in MENTIONS[(scheme, kind, language)]:
        assert mention in content, mention
    assert network.volunteer.last_name in content and "Maison des Solidarités" in content
    assert "[to be completed" not in content and "[à compléter" not in content
    # An anonymous reader (no right to the number) gets it masked.
    assert "AB1234678" not in content
    assert "678" in content


def test_each_document_exists_only_for_its_scheme(network, rules):
    placement = placement_for(network, "service_civique", end_date=datetime.date(2027, 8, 31))
    for kind in ("vsi_contract", "esc_agreement", "workcamp_letter"):
        with pytest.raises(ApplicationError) as refused:
            document_render(placement=placement, kind=kind, language="fr", reader=READER,
                            today=TODAY)
        assert refused.value.code == "document_not_available"


def test_a_clause_without_its_rule_is_shown_as_missing_not_invented(network):
    """No rule loaded: the VSI contract shows the gap where the visa title goes."""
    placement = placement_for(network, "vsi")

    content = text(document_render(placement=placement, kind="vsi_contract", language="en",
                                   reader=READER, today=TODAY))

    assert "[to be completed: document_visa_title]" in content
    assert "VLS-TS" not in content


def test_staff_edit_of_a_clause_is_printed(network, rules):
    placement = placement_for(network, "esc", weekly_hours=None)
    SchemeRule.objects.filter(scheme_id="esc", key="document_insurance").update(
        value={"fr": "Assurance XYZ du programme.", "en": "Programme insurance XYZ."})

    content = text(document_render(placement=placement, kind="esc_agreement", language="en",
                                   reader=READER, today=TODAY))

    assert "Programme insurance XYZ." in content


def test_the_page_lists_rules_to_be_confirmed(network, rules):
    """The ESC insurance wording is not in the research: marked unverified in the data."""
    placement = placement_for(network, "esc")

    assert "document_insurance" in document_unconfirmed(placement, "esc_agreement")
    assert document_unconfirmed(placement, "vsi_contract") == []


def test_the_host_officer_reads_the_number_in_full_in_the_vsi_contract(network, rules):
    placement = placement_for(network, "vsi")

    content = text(document_render(placement=placement, kind="vsi_contract", language="fr",
                                   reader=network.host_officer, today=TODAY))

    assert "AB1234678" in content

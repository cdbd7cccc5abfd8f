"""The catalogue's pickers, sort, theme, photos and map (docs/catalogue.md)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.missions.photos import MAX_PHOTO_BYTES, mission_photo_set
from reciprocity.missions.selectors import (
    CatalogueFilters,
    mission_catalogue,
    mission_catalogue_by_country,
)
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import PlacementStatus
from reciprocity.placements.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db

LIST = reverse("missions:list")
MAP = reverse("missions:map")


def png(size: tuple[int, int] = (4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (31, 95, 168)).save(buffer, format="PNG")
    return buffer.getvalue()


def titles(qs) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.title for m in qs]


@pytest.fixture
def three(db):  # type: ignore[no-untyped-def]
    """Created in this order; start dates in another; places left in a third."""
    togo = OrganisationFactory(name="ANVT", country="TG", city="Lomé")
    early = MissionFactory(title="Early", capacity=1, start_date=datetime.date(2027, 2, 1),
                           languages=["fr"])
    late = MissionFactory(title="Late", host=togo, capacity=5, languages=["fr", "ee"],
                          start_date=datetime.date(2027, 9, 1), end_date=datetime.date(2028, 2, 1))
    middle = MissionFactory(title="Middle", capacity=3, languages=["en"],
                            start_date=datetime.date(2027, 5, 1))
    PlacementFactory(mission=late, status=PlacementStatus.CONFIRMED)  # 4 left
    return early, late, middle


# --- selectors ------------------------------------------------------------------------------


@pytest.mark.parametrize(("sort", "expected"), [
    ("", ["Early", "Middle", "Late"]),
    ("places", ["Late", "Middle", "Early"]),
    ("newest", ["Middle", "Late", "Early"]),
    ("unknown", ["Early", "Middle", "Late"]),
])
def test_the_catalogue_sorts_by_start_places_left_or_newest(three, sort, expected):
    assert titles(mission_catalogue(filters=CatalogueFilters(sort=sort))) == expected


def test_the_catalogue_filters_by_country_and_language(three):
    assert titles(mission_catalogue(filters=CatalogueFilters(country="TG"))) == ["Late"]
    assert titles(mission_catalogue(filters=CatalogueFilters(language="ee"))) == ["Late"]
    assert titles(mission_catalogue(filters=CatalogueFilters(language="fr", country="FR"))) == [
        "Early"]


def test_missions_by_country_count_published_missions_and_places_left(three):
    MissionFactory(title="Draft", status=MissionStatus.DRAFT, capacity=9)

    rows = mission_catalogue_by_country(filters=CatalogueFilters())

    assert rows == [("FR", 2, 4), ("TG", 1, 4)]
    assert mission_catalogue_by_country(filters=CatalogueFilters(language="en")) == [("FR", 1, 3)]


# --- catalogue page ---------------------------------------------------------------------------


def test_country_and_language_are_pickers_with_names_in_the_readers_language(client, three):
    body = client.get(LIST, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert '<select name="country"' in body
    assert '<option value="TG">Togo</option>' in body
    assert '<option value="DE">Allemagne</option>' in body
    assert '<select name="language"' in body
    assert '<option value="ee">Éwé</option>' in body


def test_the_list_shows_the_theme_and_the_country_by_name(client, three):
    body = client.get(LIST + "?country=TG").content.decode()

    assert "Solidarity" in body
    assert "Lyon, Togo" in body or ", Togo" in body


def test_the_sort_is_a_validated_parameter_kept_in_the_page_links(client):
    MissionFactory.create_batch(27)

    response = client.get(LIST + "?sort=newest")
    body = response.content.decode()

    assert [m.title for m in response.context["page"]][0] == Mission.objects.order_by(
        "-id").first().title
    assert "sort=newest" in body  # the pagination links
    assert '<option value="newest" selected>' in body


def test_the_catalogue_links_to_its_map_with_the_same_filters(client, three):
    body = client.get(LIST + "?language=fr&sort=places").content.decode()
    assert f'href="{MAP}?language=fr"' in body


def test_the_catalogue_queries_stay_constant_with_sort_and_pickers(client,
                                                                   django_assert_max_num_queries):
    for _ in range(30):
        PlacementFactory(mission=MissionFactory(programme=None),
                         status=PlacementStatus.CONFIRMED)
    # As before the pickers: scheme and programme choices, the count and the page (countries and
    # languages come from code, not the database).
    with django_assert_max_num_queries(4):
        client.get(LIST + "?sort=places&country=FR&language=fr")


# --- map ------------------------------------------------------------------------------------


def test_the_map_page_has_its_table_and_links_to_the_catalogue(client, three):
    response = client.get(MAP + "?language=fr")
    body = response.content.decode()

    assert response.status_code == 200
    assert 'id="table-missions-map"' in body
    assert f'<a href="{LIST}?language=fr&amp;country=FR">France</a>' in body
    assert f'<a href="{LIST}?language=fr&amp;country=TG">Togo</a>' in body
    assert 'id="missions-map-data"' in body
    assert "vendor/echarts/echarts.min.js" in body
    assert "cdn" not in body.lower()


def test_the_map_page_costs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for country in ("FR", "TG", "BF", "DE", "ES"):
        MissionFactory.create_batch(3, host=OrganisationFactory(country=country))
    with django_assert_max_num_queries(3):  # scheme and programme choices, the counts
        client.get(MAP)


def test_the_catalogue_itself_never_loads_the_chart_library(client, three):
    assert "echarts" not in client.get(LIST).content.decode()


# --- photos ---------------------------------------------------------------------------------


@pytest.fixture
def officer(db):  # type: ignore[no-untyped-def]
    host = OrganisationFactory(name="Maison", country="FR")
    user = MembershipFactory(organisation=host, role=MembershipRole.OFFICER).user
    return user, host


def test_a_host_adds_a_photo_shown_lazily_with_alt_text(client, officer):
    user, host = officer
    mission = MissionFactory(host=host, title="Garden")
    client.force_login(user)
    data = {
        "host": host.pk, "scheme": "service_civique", "title": "Garden", "theme": "solidarity",
        "country": "FR", "city": "Lyon", "start_date": "2027-03-01", "end_date": "2027-08-31",
        "capacity": "2", "languages": "fr",
        "photo": SimpleUploadedFile("garden.png", png(), "image/png"),
    }

    response = client.post(reverse("missions:edit", args=[mission.pk]), data)
    mission.refresh_from_db()
    client.logout()
    listing = client.get(LIST).content.decode()
    photo = client.get(reverse("missions:photo", args=[mission.pk]))

    assert response.status_code == 302, response.content.decode()
    assert mission.photo.name.startswith("missions/photos/")
    assert "garden" not in mission.photo.name  # a name of ours, not the browser's
    assert f'src="/missions/{mission.pk}/photo/" alt="Photo: Garden" loading="lazy"' in listing
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content) == png()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("cv.pdf", b"%PDF-1.4 not a photo", "must be a PNG or JPEG"),
    ("fake.png", b"GIF89a not a png", "must be a PNG or JPEG"),
    ("huge.png", png() + b"\0" * MAX_PHOTO_BYTES, "at most 2 MB"),
])
def test_the_mission_form_refuses_other_files_and_large_ones(client, officer, name, content,
                                                             message):
    user, host = officer
    mission = MissionFactory(host=host)
    client.force_login(user)
    data = {
        "host": host.pk, "scheme": "service_civique", "title": "Garden", "theme": "solidarity",
        "country": "FR", "city": "Lyon", "start_date": "2027-03-01", "end_date": "2027-08-31",
        "capacity": "2", "languages": "fr",
        "photo": SimpleUploadedFile(name, content),
    }

    response = client.post(reverse("missions:edit", args=[mission.pk]), data)
    mission.refresh_from_db()

    assert response.status_code == 200
    assert message in response.content.decode() or message in str(response.context["form"].errors)
    assert not mission.photo


def test_a_drafts_photo_is_served_only_to_its_host(client, officer):
    user, host = officer
    draft = MissionFactory(host=host, status=MissionStatus.DRAFT)
    mission_photo_set(mission=draft, actor=user,
                      upload=SimpleUploadedFile("p.png", png(), "image/png"))
    url = reverse("missions:photo", args=[draft.pk])

    assert client.get(url).status_code == 404
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")


def test_only_the_host_changes_the_photo_and_the_old_file_goes(officer,
                                                               django_capture_on_commit_callbacks):
    user, host = officer
    mission = MissionFactory(host=host)
    stranger = MembershipFactory(role=MembershipRole.OFFICER).user
    with pytest.raises(NotAllowed):
        mission_photo_set(mission=mission, actor=stranger,
                          upload=SimpleUploadedFile("p.png", png(), "image/png"))
    with pytest.raises(ApplicationError):
        mission_photo_set(mission=mission, actor=user, upload=SimpleUploadedFile("p.png", b""))

    with django_capture_on_commit_callbacks(execute=True):
        mission_photo_set(mission=mission, actor=user,
                          upload=SimpleUploadedFile("a.png", png(), "image/png"))
    first = mission.photo.name
    storage = mission.photo.storage
    with django_capture_on_commit_callbacks(execute=True):
        mission_photo_set(mission=mission, actor=user, upload=None)

    mission.refresh_from_db()
    assert not mission.photo
    assert not storage.exists(first)


def test_language_names_follow_the_reader(three):
    from reciprocity.core.languages import language_name

    with translation.override("es"):
        assert language_name("de") == "Alemán"
    assert language_name("ee") == "Ewe"
    assert language_name("zz") == "zz"

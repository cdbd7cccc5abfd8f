import datetime

import pytest
from django.urls import reverse

from reciprocity.agreements.tests.factories import ProgrammeFactory
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import PlacementStatus
from reciprocity.placements.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db

LIST = reverse("missions:list")


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.title for m in response.context["page"]]


@pytest.fixture
def catalogue(db):  # type: ignore[no-untyped-def]
    togo = OrganisationFactory(name="ANVT", country="TG", city="Lomé")
    programme = ProgrammeFactory(code="reciprocity-tg")
    MissionFactory(title="Lyon youth", city="Lyon", theme="solidarity", languages=["fr"],
                   start_date=datetime.date(2027, 3, 1), end_date=datetime.date(2027, 8, 31))
    MissionFactory(title="Lomé school", host=togo, theme="education", languages=["fr", "ee"],
                   scheme_id="vsi", programme=programme, start_date=datetime.date(2027, 9, 1),
                   end_date=datetime.date(2028, 8, 31))
    full = MissionFactory(title="Full camp", scheme_id="workcamp", theme="heritage",
                          languages=["en"], capacity=1, start_date=datetime.date(2027, 7, 5),
                          end_date=datetime.date(2027, 7, 25))
    PlacementFactory(mission=full, status=PlacementStatus.CONFIRMED)
    MissionFactory(title="Secret draft", status=MissionStatus.DRAFT)
    MissionFactory(title="Closed one", status=MissionStatus.CLOSED)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Lyon youth", "Full camp", "Lomé school"]),
        ("?country=TG", ["Lomé school"]),
        ("?country=tg", ["Lomé school"]),
        ("?scheme=workcamp", ["Full camp"]),
        ("?theme=education", ["Lomé school"]),
        ("?language=en", ["Full camp"]),
        ("?language=EE", ["Lomé school"]),
        ("?programme=reciprocity-tg", ["Lomé school"]),
        ("?places=on", ["Lyon youth", "Lomé school"]),
        ("?q=lomé", ["Lomé school"]),
        ("?q=ANVT", ["Lomé school"]),
        # Overlap: any mission running at some point of the period.
        ("?date_from=2027-07-10&date_to=2027-07-12", ["Lyon youth", "Full camp"]),
        ("?date_from=2027-08-01", ["Lyon youth", "Lomé school"]),
        ("?date_to=2027-03-01", ["Lyon youth"]),
        # Starting within the period only.
        ("?date_from=2027-07-01&starts_within=on", ["Full camp", "Lomé school"]),
        ("?date_from=2027-07-01&date_to=2027-08-01&starts_within=on", ["Full camp"]),
        ("?country=FR&scheme=service_civique&places=on", ["Lyon youth"]),
    ],
)
def test_catalogue_filters(client, catalogue, query, expected):
    response = client.get(LIST + query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_catalogue_shows_places_left(client, catalogue):
    response = client.get(LIST)
    left = {m.title: m.places_left for m in response.context["page"]}
    assert left == {"Lyon youth": 2, "Lomé school": 2, "Full camp": 0}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?date_from=notadate", "Enter a valid date."),
        ("?country=ZZZ", "Select a valid choice. ZZZ is not one of the available choices."),
        ("?country=ZZ", "Select a valid choice. ZZ is not one of"),
        ("?page=abc", "Enter a whole number."),
        ("?page=99999999999999999999", "less than or equal to"),
        ("?scheme=nope", "Select a valid choice."),
        ("?language=french", "Select a valid choice. french is not one of"),
        ("?date_from=2027-08-01&date_to=2027-07-01", "end of the period is before its start"),
    ],
)
def test_invalid_filters_give_a_message_not_an_error(client, catalogue, query, message):
    response = client.get(LIST + query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(titles(response)) == 3  # the invalid filter is ignored


def test_invalid_filter_messages_are_translated(client, catalogue):
    response = client.get(LIST + "?date_from=notadate", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "Saisissez une date valide." in response.content.decode()


def test_catalogue_list_is_one_query_whatever_the_size(client, django_assert_max_num_queries):
    for _ in range(30):
        mission = MissionFactory(programme=None)
        PlacementFactory(mission=mission, status=PlacementStatus.CONFIRMED)
    # Session-less anonymous visit: scheme and programme choices, the count and the page.
    with django_assert_max_num_queries(4):
        response = client.get(LIST + "?places=on&country=FR")
    assert len(titles(response)) == 25
    assert response.context["page"].paginator.count == 30


def test_catalogue_paginates(client):
    MissionFactory.create_batch(27)
    second = client.get(LIST + "?page=2")
    assert len(titles(second)) == 2
    assert client.get(LIST + "?page=9").context["page"].number == 2


def test_mission_page_shows_conditions_and_apply_link(client):
    mission = MissionFactory(
        title="Camp", weekly_hours=30, languages=["fr", "en"], age_min=18, age_max=30,
        max_per_nationality=2, gender_tolerance=1, capacity=3,
    )
    PlacementFactory(mission=mission, status=PlacementStatus.CONFIRMED)
    html = client.get(reverse("missions:detail", args=[mission.pk])).content.decode()
    for fragment in (mission.host.name, "30", "French, English", "18 – 30", "Maximum per nationality",
                     "At most 1 more volunteer of one gender", 'id="places-left">2<',
                     # An anonymous visitor's "Apply" signs up first, then comes back to it.
                     f"/volunteers/sign-up/?next=/applications/new/%3Fmission%3D{mission.pk}"):
        assert fragment in html


def test_mission_page_warns_of_a_scheme_suspension(client):
    from reciprocity.schemes.models import SchemeSuspension

    mission = MissionFactory(start_date=datetime.date(2027, 3, 1))
    url = reverse("missions:detail", args=[mission.pk])
    assert 'id="suspension"' not in client.get(url).content.decode()
    SchemeSuspension.objects.create(scheme_id="service_civique",
                                    start=datetime.date(2027, 1, 1), reason="Budget freeze")
    assert 'id="suspension"' in client.get(url).content.decode()


def test_no_apply_link_without_places(client):
    mission = MissionFactory(capacity=1)
    PlacementFactory(mission=mission, status=PlacementStatus.CONFIRMED)
    html = client.get(reverse("missions:detail", args=[mission.pk])).content.decode()
    assert "/applications/new/" not in html


def test_drafts_are_hidden_from_the_public_and_other_hosts(client, host, other_officer, officer):
    draft = MissionFactory(host=host, status=MissionStatus.DRAFT)
    url = reverse("missions:detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    client.force_login(other_officer)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200
    assert client.get(reverse("missions:detail", args=[10**30])).status_code == 404


# --- host pages ----------------------------------------------------------------------------------

FORM = {
    "scheme": "service_civique", "title": "Garden for all", "theme": "environment",
    "country": "FR", "city": "Lyon", "start_date": "2027-03-01", "end_date": "2027-08-31",
    "capacity": "2", "weekly_hours": "28", "languages": "fr, en", "age_min": "18",
    "age_max": "25",
}


def test_officer_creates_publishes_closes_and_duplicates(client, host, officer):
    client.force_login(officer)
    response = client.post(reverse("missions:create"), {**FORM, "host": host.pk})
    mission = Mission.objects.get(title="Garden for all")
    assert response.status_code == 302
    assert (mission.status, mission.host, mission.languages) == ("draft", host, ["en", "fr"])

    client.post(reverse("missions:publish", args=[mission.pk]))
    mission.refresh_from_db()
    assert mission.status == "published"
    client.post(reverse("missions:edit", args=[mission.pk]), {**FORM, "host": host.pk,
                                                              "city": "Villeurbanne"})
    mission.refresh_from_db()
    assert mission.city == "Villeurbanne"
    client.post(reverse("missions:close", args=[mission.pk]))
    mission.refresh_from_db()
    assert mission.status == "closed"
    response = client.post(reverse("missions:duplicate", args=[mission.pk]))
    copy = Mission.objects.exclude(pk=mission.pk).get(title="Garden for all")
    assert response.url == reverse("missions:detail", args=[copy.pk])
    assert copy.status == "draft"

    mine = client.get(reverse("missions:mine"))
    assert {m.pk for m in mine.context["page"]} == {mission.pk, copy.pk}


def test_form_shows_service_errors_next_to_fields(client, host, officer):
    client.force_login(officer)
    response = client.post(reverse("missions:create"),
                           {**FORM, "host": host.pk, "age_min": "30", "age_max": "20"})
    assert response.status_code == 200
    assert "The maximum age cannot be below the minimum age." in response.content.decode()
    assert not Mission.objects.exists()


def test_illegal_transition_from_a_page_shows_a_message(client, host, officer):
    mission = MissionFactory(host=host, status=MissionStatus.CLOSED)
    client.force_login(officer)
    response = client.post(reverse("missions:publish", args=[mission.pk]), follow=True)
    assert "cannot become published" in response.content.decode()


def test_a_host_cannot_create_for_another_host(client, host, other_officer):
    client.force_login(other_officer)
    response = client.post(reverse("missions:create"), {**FORM, "host": host.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Mission.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "other_officer"])
@pytest.mark.parametrize("action", ["edit", "publish", "close", "cancel", "duplicate"])
def test_others_cannot_change_a_mission(client, request, host, who, action):
    mission = MissionFactory(host=host, status=MissionStatus.PUBLISHED)
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse(f"missions:{action}", args=[mission.pk]),
                           {**FORM, "host": host.pk, "reason": "x"})
    assert response.status_code == 403
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PUBLISHED
    assert Mission.objects.count() == 1


def test_viewer_sees_my_missions_read_only_and_cannot_create(client, host, viewer):
    MissionFactory(host=host, status=MissionStatus.DRAFT)
    client.force_login(viewer)
    response = client.get(reverse("missions:mine"))
    assert len(response.context["page"]) == 1
    assert reverse("missions:create") not in response.content.decode()
    assert client.get(reverse("missions:create")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, host):
    mission = MissionFactory(host=host)
    for url in (reverse("missions:mine"), reverse("missions:create"),
                reverse("missions:edit", args=[mission.pk])):
        assert client.get(url).url.startswith(reverse("accounts:login"))
    response = client.post(reverse("missions:close", args=[mission.pk]))
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PUBLISHED


def test_actions_need_post_and_csrf(host, officer):
    from django.test import Client

    mission = MissionFactory(host=host)
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.get(reverse("missions:close", args=[mission.pk])).status_code == 405
    assert client.post(reverse("missions:close", args=[mission.pk])).status_code == 403
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PUBLISHED


FILTER_NAMES = ["q", "scheme", "country", "theme", "language", "programme", "date_from",
                "date_to", "starts_within", "places", "page"]


@pytest.mark.django_db
def test_no_query_string_breaks_the_catalogue(client):
    from urllib.parse import urlencode

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    MissionFactory()

    @settings(max_examples=20, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.dictionaries(st.sampled_from(FILTER_NAMES),
                           st.text(max_size=30) | st.integers().map(str), max_size=5))
    def check(params: dict[str, str]) -> None:
        query = urlencode(params)
        assert client.get(f"{LIST}?{query}").status_code == 200
        assert client.get(f"/api/v1/missions?{query}").status_code in {200, 422}

    check()

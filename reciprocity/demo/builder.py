"""The demo network's builder: organisations, agreements, missions, volunteers, placements,
applications and users, deterministic for a seed and a reference day."""

import contextlib
import random
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from reciprocity.accounts.models import Membership, MembershipRole, User
from reciprocity.agreements.coverage import CoverageIndex
from reciprocity.agreements.models import Agreement, AgreementStatus, Programme
from reciprocity.applications.models import (
    Application,
    ApplicationChoice,
    ApplicationKind,
    ApplicationStatus,
    ApplicationStatusChange,
    ChoiceStatus,
)
from reciprocity.demo import data
from reciprocity.domain.dates import add_months
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.partners.models import (
    Accreditation,
    AccreditationKind,
    Affiliation,
    AffiliationKind,
    LegalForm,
    Organisation,
)
from reciprocity.placements.models import Placement, PlacementStatus, PlacementStatusChange
from reciprocity.schemes.models import Scheme
from reciprocity.volunteers.models import IdentityDocumentKind, Volunteer

COORDINATOR_NAME = "France Volontaires"
STAFF_USERNAME = "staff"
LANGUAGE_BY_COUNTRY = {
    "PE": "es", "EC": "es", "CO": "es", "BO": "es", "PY": "es", "AR": "es", "MX": "es",
    "TN": "ar", "MA": "ar", "DZ": "ar", "EG": "ar", "LB": "ar", "JO": "ar", "PS": "ar",
    "BR": "pt", "VN": "vi", "KH": "km", "IN": "hi", "GH": "en", "PH": "en", "NP": "ne",
    "DE": "de", "ES": "es", "IT": "it", "PT": "pt", "PL": "pl", "UA": "uk",
}
FRANCOPHONE = {"SN", "BF", "TG", "CI", "ML", "BJ", "CM", "MG", "NE", "HT", "GN", "CD", "TD",
               "CG", "MR", "TN", "MA", "DZ", "LB", "BE"}


# The story's two drifting agreements (docs/tour.md), by partner country: this year's carried
# position ends outside the tolerance, below it for Senegal (France hosted more Senegalese than
# it sent French) and above it for Togo (the Togolese arrivals that rebalance it start next year).
STORY_DRIFT = {"SN": -1, "TG": 1}
#: The Burkinabè volunteer's visa is due this many days after the demo's day.
VISA_DEADLINE_DAYS = 4
#: Seconds the demo's placement run may take (`make run` stays quick).
RUN_TIME_LIMIT = 10


def apportion(total: int, weights: dict[str, int], k: int) -> dict[str, int]:
    """Split `total` over the `k` heaviest countries, each at least one, by largest remainder."""
    chosen = sorted(weights, key=lambda c: (-weights[c], c))[: max(1, min(k, total))]
    rest = total - len(chosen)
    weight_sum = sum(weights[c] for c in chosen)
    shares = {c: 1 + rest * weights[c] // weight_sum for c in chosen}
    remainders = sorted(chosen, key=lambda c: (-(rest * weights[c] % weight_sum), c))
    for c in remainders[: total - sum(shares.values())]:
        shares[c] += 1
    return shares


def countries_for_year(year: int, total: int) -> int:
    published = {2015: 10, 2016: 14, 2019: 40, 2022: 27}
    return published.get(year, max(8, min(34, total // 6)))


class NetworkBuilder:
    """Creates the demo network in memory, then writes it with a few bulk inserts."""

    def __init__(self, *, seed: int, today: date, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.today = today
        # The moment the demo is built, for the rows a person would have stamped (a visa step's
        # change, a host's decision): the edge reads the clock, the builder does not.
        self.now = now
        self.volunteer_seq = 0
        self.mission_seq = 0
        self.volunteers: list[Volunteer] = []
        self.missions: list[Mission] = []
        self.placements: list[tuple[Placement, Mission, Volunteer]] = []
        self.fates: dict[int, str] = {}
        self.waiting_for_visa: list[Volunteer] = []
        self.visa_deadline_soon: Volunteer | None = None
        self.senegal_missions: list[Mission] = []
        self.story_missions: set[int] = set()  # id() of the Togolese and Burkinabè missions

    # --- organisations -------------------------------------------------------------------
    def organisations(self) -> None:
        self.coordinator = Organisation.objects.create(
            name=COORDINATOR_NAME, acronym="FV", country="FR", city="Montreuil",
            legal_form=LegalForm.GIP, is_coordinator=True, is_sending=True, is_host=True,
            is_intermediary=True, contact_name=data.COORDINATOR_CONTACT,
            email="reciprocite@example.org", website="https://www.france-volontaires.org",
        )
        self.agencies: dict[str, Organisation] = {}
        for (acronym, name, country, city), contact in zip(data.AGENCIES, data.AGENCY_CONTACTS,
                                                            strict=True):
            self.agencies[country] = Organisation.objects.create(
                name=name, acronym=acronym, country=country, city=city,
                legal_form=LegalForm.NATIONAL_AGENCY, is_national_agency=True, is_sending=True,
                is_host=True, contact_name=contact,
                email=f"contact@{acronym.lower()}.example.org",
            )
        self.hosts: list[Organisation] = []
        for i, name in enumerate(data.HOST_NAMES):
            city = data.FRENCH_CITIES[i % len(data.FRENCH_CITIES)]
            sending = name in {"Cool'eurs du Monde", "Concordia", "Solidarités Jeunesses",
                               "Études et Chantiers", "ADICE", "Service de Coopération au Développement"}
            self.hosts.append(Organisation.objects.create(
                name=name, country="FR", city=city, is_host=True, is_sending=sending,
                is_intermediary=name == "Ligue de l'enseignement",
                contact_name=data.HOST_TUTORS[i], email=f"accueil{i}@example.org",
            ))
        self.workcamp_hosts = [h for h in self.hosts if h.name in {
            "Concordia", "Solidarités Jeunesses", "Études et Chantiers", "Compagnons Bâtisseurs"}]
        accreditations = []
        for i, host in enumerate(self.hosts):
            kind = AccreditationKind.COLLECTIVE if i % 7 == 0 else AccreditationKind.INDIVIDUAL
            accreditations.append(Accreditation(
                organisation=host, scheme_id="service_civique", kind=kind,
                number=f"NA-{(i % 95) + 1:03d}-23-{1000 + i:05d}-00",
                authorised_volunteers=self.rng.choice([6, 10, 15, 25, 40]),
                valid_from=date(2023, 1, 1),
                # Most run to 2028; every fifth expired at the end of 2025 (a renewal to chase).
                valid_to=date(2025, 12, 31) if i % 5 == 4 else date(2028, 12, 31),
                issuer="Agence du Service Civique",
            ))
            # VSI and ESC missions are hosted under an intermediation agrément or a quality label.
            accreditations.append(Accreditation(
                organisation=host, scheme_id="vsi", kind=AccreditationKind.INTERMEDIATION,
                number=f"VSI-INT-{1000 + i:05d}", authorised_volunteers=4,
                valid_from=date(2022, 1, 1), valid_to=date(2028, 12, 31),
                issuer="France Volontaires (intermediation)",
            ))
            accreditations.append(Accreditation(
                organisation=host, scheme_id="esc", kind=AccreditationKind.INDIVIDUAL,
                number=f"2023-1-FR02-ESC50-{1000 + i:05d}", authorised_volunteers=6,
                valid_from=date(2023, 1, 1), valid_to=date(2028, 12, 31),
                issuer="Agence Erasmus+ France Jeunesse & Sport",
            ))
        # Partner agencies host French volunteers under France Volontaires' intermediation.
        for country, agency in sorted(self.agencies.items()):
            for scheme in ("service_civique", "vsi"):
                accreditations.append(Accreditation(
                    organisation=agency, scheme_id=scheme, kind=AccreditationKind.INTERMEDIATION,
                    number=f"{scheme.upper()}-FV-{country}", authorised_volunteers=20,
                    valid_from=date(2015, 1, 1), valid_to=date(2028, 12, 31),
                    issuer="France Volontaires (intermediation)",
                ))
        accreditations.append(Accreditation(
            organisation=self.coordinator, scheme_id="vsi", kind=AccreditationKind.COLLECTIVE,
            number="VSI-MEAE-2022-001", authorised_volunteers=500, valid_from=date(2022, 1, 1),
            valid_to=date(2027, 12, 31), issuer="Ministère de l'Europe et des Affaires étrangères",
        ))
        accreditations.append(Accreditation(
            organisation=self.coordinator, scheme_id="service_civique",
            kind=AccreditationKind.INTERMEDIATION, number="NA-000-22-00001-00",
            authorised_volunteers=400, valid_from=date(2022, 1, 1), valid_to=date(2027, 12, 31),
            issuer="Agence du Service Civique",
        ))
        Accreditation.objects.bulk_create(accreditations)
        # Every French host belongs to the France Volontaires network: the coordinator's
        # agreements with the national agencies cover the placements they host and send
        # (agreements/coverage.py), as in the field.
        Affiliation.objects.bulk_create(
            Affiliation(member=host, parent=self.coordinator, kind=AffiliationKind.NETWORK_MEMBER,
                        valid_from=date(2014, 1, 1))
            for host in self.hosts
        )

    # --- agreements and programmes --------------------------------------------------------
    def agreements(self) -> None:
        by_name = {h.name: h for h in self.hosts}
        self.programmes = {
            "weccee": Programme.objects.create(
                code="weccee", name="WECCEE", start_date=date(2014, 1, 1),
                description="Reciprocal Service Civique exchange: French and foreign pairs (binômes).",
                countries=["FR", "SN", "MG", "GN", "VN", "MA", "TN", "TG"],
                coordinator=by_name["Cool'eurs du Monde"],
            ),
            "proddige": Programme.objects.create(
                code="proddige", name="PrODDige", start_date=date(2019, 9, 1), end_date=date(2020, 8, 31),
                description="Service Civique on the Sustainable Development Goals in the Lyon metropolis.",
                countries=["FR", "PE", "EC", "HT", "TN", "TG", "ML", "BF", "KH", "VN"],
                coordinator=by_name["Service de Coopération au Développement"],
            ),
            "enlazando": Programme.objects.create(
                code="enlazando", name="EnLAzando", start_date=date(2020, 1, 1),
                description="Volunteering ecosystems in South America and cooperation with France.",
                countries=["FR", "BO", "CO", "EC", "PY", "PE", "AR"], coordinator=self.coordinator,
            ),
        }
        schemes = {s.code: s for s in Scheme.objects.all()}
        self.programmes["weccee"].schemes.add(schemes["service_civique"])
        self.programmes["proddige"].schemes.add(schemes["service_civique"])
        self.programmes["enlazando"].schemes.add(schemes["vsi"], schemes["service_civique"])
        self.agreement_by_country: dict[str, Agreement] = {}
        for country, agency in self.agencies.items():
            agreement = Agreement.objects.create(
                reference=f"fv-{agency.acronym.lower()}", title=f"France Volontaires ⇄ {agency.acronym}",
                party_a=self.coordinator, party_b=agency,
                programme=self.programmes["enlazando"] if country in {"PE", "EC"} else None,
                start_date=date(2015, 1, 1), end_date=date(2028, 12, 31),
                quota_a_to_b=self.rng.choice([10, 15, 20, 30]),
                quota_b_to_a=self.rng.choice([15, 20, 25, 30]),
                tolerance=self.rng.choice([3, 5, 8]), status=AgreementStatus.ACTIVE,
            )
            agreement.schemes.add(schemes["service_civique"], schemes["vsi"])
            self.agreement_by_country[country] = agreement
        # Placements find their agreement by the platform's rule, not by the builder's say.
        self.coverage = CoverageIndex.load()

    # --- volunteers, missions, placements -------------------------------------------------
    def new_volunteer(self, *, nationality: str, start: date, age: tuple[int, int],
                      sender: Organisation | None) -> Volunteer:
        self.volunteer_seq += 1
        rng = self.rng
        gender = rng.choices(["F", "M", "X"], weights=[55, 43, 2])[0]
        years = rng.randint(*age)
        birth = start - timedelta(days=365 * years + rng.randint(20, 340))
        female, male, last_names = data.NAMES[data.NAMING_REGION.get(nationality, "europe")]
        # A volunteer of no stated gender gets a first name of either list.
        first_name = rng.choice(female if gender == "F" or (gender == "X" and rng.random() < 0.5)
                                else male)
        languages = [{"code": "fr", "level": "C1" if nationality in FRANCOPHONE | {"FR"} else "B1"}]
        if nationality in LANGUAGE_BY_COUNTRY:
            languages.insert(0, {"code": LANGUAGE_BY_COUNTRY[nationality], "level": "C2"})
        volunteer = Volunteer(
            reference=f"DEMO-{self.volunteer_seq:05d}",
            first_name=first_name, last_name=rng.choice(last_names),
            email=f"volunteer{self.volunteer_seq}@example.org", birth_date=birth, gender=gender,
            nationality=nationality, residence_country=nationality, languages=languages,
            has_disability=rng.random() < 0.02, sending_organisation=sender,
            id_document_kind=IdentityDocumentKind.PASSPORT,
            id_document_number=f"{rng.choice('ABCDEFGH')}{rng.randint(10_000_000, 99_999_999)}",
            id_document_expiry=start + timedelta(days=rng.randint(200, 3000)),
        )
        self.volunteers.append(volunteer)
        return volunteer

    def new_mission(self, *, host: Organisation, scheme: str, country: str, city: str, start: date,
                    end: date, capacity: int, theme: str | None = None, **extra: object) -> Mission:
        self.mission_seq += 1
        theme = theme or self.rng.choice([t for t in data.MISSION_TITLES if t not in {"heritage", "agriculture"}])
        title = self.rng.choice(data.MISSION_TITLES[theme])
        status = MissionStatus.PUBLISHED if start > self.today else MissionStatus.CLOSED
        mission = Mission(
            host=host, scheme_id=scheme, reference=f"M{self.mission_seq:05d}",
            title=f"{title} — {city}", theme=theme, country=country, city=city,
            description=(
                f"{title}. The volunteer joins the team of {host.name} in {city} and takes part in "
                "its projects with the public, with a tutor and a training plan."
            ),
            start_date=start, end_date=end, capacity=capacity, status=status,
            languages=["fr"] if country in FRANCOPHONE | {"FR"} else [LANGUAGE_BY_COUNTRY.get(country, "en"), "fr"],
            **extra,
        )
        self.missions.append(mission)
        return mission

    def place(self, volunteer: Volunteer, mission: Mission, *, fate: str = "random") -> None:
        """`fate`: "random" may end cancelled; "kept" never is (published figures count it);
        "cancelled" never starts (a visa refused, a withdrawal); "confirmed" is confirmed and
        waits for its start. The agreement is the one the
        coverage rule finds (sender and host parties or network members)."""
        sender = volunteer.sending_organisation
        agreement = self.coverage.decide(
            sender=sender.pk if sender else None, host=mission.host.pk, scheme=mission.scheme_id,
            on=mission.start_date, named=mission.agreement_id).agreement
        placement = Placement(
            nationality=volunteer.nationality, host_country=mission.country,
            scheme_id=mission.scheme_id, gender=volunteer.gender,
            # The host's contact person tutors its volunteers in the demo.
            tutor_name=mission.host.contact_name, tutor_email=mission.host.email,
            start_date=mission.start_date, end_date=mission.end_date, agreement_id=agreement,
            sending_organisation=volunteer.sending_organisation,
        )
        self.fates[id(placement)] = fate
        self.placements.append((placement, mission, volunteer))

    def sc_and_vsi_hosted(self) -> None:
        for scheme, per_year, months, ages in (
            ("service_civique", data.HOSTED_SC_PER_YEAR, (6, 10), (18, 25)),
            ("vsi", data.HOSTED_VSI_PER_YEAR, (12, 12), (22, 34)),
        ):
            for year, total in sorted(per_year.items()):
                shares = apportion(total, data.ORIGIN_WEIGHTS, countries_for_year(year, total))
                queue = [c for c, n in sorted(shares.items()) for _ in range(n)]
                self.rng.shuffle(queue)
                year_missions: list[Mission] = []
                while queue:
                    host = self.rng.choice(self.hosts)
                    start = date(year, self.rng.choice([1, 2, 3, 9, 10]), 1)
                    end = add_months(start, self.rng.randint(*months)) - timedelta(days=1)
                    capacity = min(len(queue), self.rng.randint(1, 4))
                    programme = None
                    if host.name == "Cool'eurs du Monde" and scheme == "service_civique":
                        programme = self.programmes["weccee"]
                    elif host.name == "Service de Coopération au Développement" and year == 2019:
                        programme = self.programmes["proddige"]
                    mission = self.new_mission(
                        host=host, scheme=scheme, country="FR", city=host.city, start=start,
                        end=end, capacity=capacity + (1 if self.rng.random() < 0.3 else 0),
                        weekly_hours=self.rng.choice([24, 28, 30, 35]), age_min=ages[0],
                        age_max=ages[1] if scheme == "service_civique" else None, programme=programme,
                    )
                    for _ in range(capacity):
                        country = queue.pop()
                        sender = self.agencies.get(country, self.coordinator)
                        volunteer = self.new_volunteer(nationality=country, start=start, age=ages, sender=sender)
                        self.place(volunteer, mission, fate="kept")
                    year_missions.append(mission)
                # The published figures count volunteers who came; those who never did (visa
                # refused, withdrawal) are extra placements, cancelled before the start.
                for _ in range(max(1, total * 3 // 100)):
                    mission = self.rng.choice(year_missions)
                    country = self.rng.choice(sorted(shares))
                    volunteer = self.new_volunteer(nationality=country, start=mission.start_date, age=ages,
                                                   sender=self.agencies.get(country, self.coordinator))
                    self.place(volunteer, mission, fate="cancelled")

    def workcamps(self) -> None:
        origins = [*data.EU_ORIGINS, "MA", "TN", "SN", "TG", "MX", "JP", "KR", "UA", "TR", "RS"]
        for year in range(2015, 2027):
            remaining = data.WORKCAMP_PER_YEAR
            for camp in range(4):
                host = self.workcamp_hosts[camp % len(self.workcamp_hosts)]
                start = date(year, 7, 1) + timedelta(days=14 * camp)
                mission = self.new_mission(
                    host=host, scheme="workcamp", country="FR", city=host.city, start=start,
                    end=start + timedelta(days=20), capacity=12,
                    theme=self.rng.choice(["heritage", "environment", "agriculture"]),
                    weekly_hours=30, age_min=18, age_max=30, max_per_nationality=2, gender_tolerance=2,
                )
                per_country: dict[str, int] = {}
                genders = {"F": 0, "M": 0}
                for _ in range(min(10, remaining)):
                    country = self.rng.choice([c for c in origins if per_country.get(c, 0) < 2])
                    volunteer = self.new_volunteer(
                        nationality=country, start=start, age=(18, 30), sender=self.agencies.get(country)
                    )
                    # Keep the camp within its gender tolerance, as a camp leader would.
                    if volunteer.gender in genders and genders[volunteer.gender] - genders[_other(volunteer.gender)] >= 2:
                        volunteer.gender = _other(volunteer.gender)
                    if volunteer.gender in genders:
                        genders[volunteer.gender] += 1
                    per_country[country] = per_country.get(country, 0) + 1
                    self.place(volunteer, mission)
                    remaining -= 1

    def sent_abroad(self) -> None:
        """French volunteers sent to the partner agencies, year by year, in step with what each
        partner country sent to France under its agreement: the carried position of every
        agreement wanders inside its tolerance (as a coordinator who watches it keeps it),
        except the two of the story (`STORY_DRIFT`), which end this year outside it."""
        senders = [h for h in self.hosts if h.is_sending] + [self.coordinator]
        hosted: Counter[tuple[int, int]] = Counter(
            (placement.agreement_id, placement.start_date.year)
            for placement, mission, _volunteer in self.placements
            if placement.agreement_id and mission.country == "FR"
            and self.fates[id(placement)] != "cancelled"
        )
        for country in sorted(self.agencies):
            agreement = self.agreement_by_country[country]
            agency, room = self.agencies[country], agreement.tolerance - 1
            position = 0
            for year in range(2015, self.today.year + 1):
                b_to_a = hosted[(agreement.pk, year)]
                target = max(-room, min(room, position + self.rng.randint(-2, 2)))
                if year == self.today.year and country in STORY_DRIFT:
                    target = STORY_DRIFT[country] * (agreement.tolerance + 3 - (country == "TG"))
                a_to_b = max(0, b_to_a + target - position)
                position += a_to_b - b_to_a
                # Started by today, so the plan counts them (a future start may stay proposed).
                months = [m for m in (2, 3, 9, 10) if date(year, m, 1) <= self.today] or [1]
                while a_to_b:
                    group = min(a_to_b, self.rng.randint(1, 3))
                    a_to_b -= group
                    scheme = "vsi" if year >= 2023 and self.rng.random() < 0.35 else "service_civique"
                    start = date(year, self.rng.choice(months), 1)
                    duration = 12 if scheme == "vsi" else self.rng.randint(6, 10)
                    mission = self.new_mission(
                        host=agency, scheme=scheme, country=country, city=agency.city,
                        start=start, end=add_months(start, duration) - timedelta(days=1),
                        capacity=group, weekly_hours=30, age_min=18,
                    )
                    for _ in range(group):
                        volunteer = self.new_volunteer(nationality="FR", start=start, age=(19, 28),
                                                       sender=self.rng.choice(senders))
                        volunteer.residence_country = "FR"
                        self.place(volunteer, mission, fate="kept")

    def story(self) -> None:
        """What a new coordinator should find (docs/tour.md), built before `sent_abroad` so
        that the balance takes it into account:

        - two Togolese volunteers confirmed at Maison des Solidarités from early next year:
          they bring FV ⇄ ANVT back within its tolerance next year, if their visas come (one
          is blocked, waiting for the consulate);
        - a Burkinabè volunteer arriving in a few days whose visa is due before then;
        - two missions of Espace Volontariats Sénégal next year, which the French applicants
          of `senegal_applicants` choose: the stored placement run proposes them, and that
          brings FV ⇄ EV-SN, short of French volunteers this year, back next year."""
        maison = next(h for h in self.hosts if h.name == "Maison des Solidarités")
        togo, burkina = self.agencies["TG"], self.agencies["BF"]
        start = date(self.today.year + 1, 1, 4)
        mission = self.new_mission(
            host=maison, scheme="service_civique", country="FR", city=maison.city, start=start,
            end=add_months(start, 8) - timedelta(days=1), capacity=2, theme="solidarity",
            weekly_hours=28, age_min=18, age_max=25,
        )
        for _ in range(2):
            volunteer = self.new_volunteer(nationality="TG", start=start, age=(20, 24), sender=togo)
            self.place(volunteer, mission, fate="confirmed")
            self.waiting_for_visa.append(volunteer)
        self.story_missions.add(id(mission))
        soon = self.today + timedelta(days=VISA_DEADLINE_DAYS + 1)
        mission = self.new_mission(
            host=maison, scheme="service_civique", country="FR", city=maison.city, start=soon,
            end=add_months(soon, 6) - timedelta(days=1), capacity=1, theme="education",
            weekly_hours=28, age_min=18, age_max=25,
        )
        volunteer = self.new_volunteer(nationality="BF", start=soon, age=(20, 24), sender=burkina)
        self.place(volunteer, mission, fate="confirmed")
        self.visa_deadline_soon = volunteer
        self.story_missions.add(id(mission))
        senegal = self.agencies["SN"]
        self.senegal_missions = [
            self.new_mission(
                host=senegal, scheme="vsi", country="SN", city=city, start=date(self.today.year + 1, month, 1),
                end=date(self.today.year + 2, month, 1) - timedelta(days=1), capacity=2,
                theme=theme, weekly_hours=35, age_min=21,
            )
            for city, month, theme in (("Dakar", 2, "education"), ("Saint-Louis", 3, "environment"))
        ]

    def open_catalogue(self) -> None:
        """Missions still to fill (next year), with no or few placements: what applicants see."""
        year = self.today.year + 1
        for i in range(60):
            host = self.hosts[i % len(self.hosts)]
            scheme = ["service_civique", "service_civique", "vsi", "workcamp", "esc"][i % 5]
            start = date(year, [1, 3, 7, 9, 10][i % 5], 1)
            extra: dict[str, Any] = {}
            if scheme == "workcamp":
                end = start + timedelta(days=20)
                extra = {"max_per_nationality": 2, "gender_tolerance": 2}
            else:
                end = add_months(start, 6 if scheme != "vsi" else 12) - timedelta(days=1)
            if i % 6 == 5:
                agency = self.agencies[sorted(self.agencies)[i % len(self.agencies)]]
                self.new_mission(host=agency, scheme=scheme if scheme != "esc" else "vsi",
                                 country=str(agency.country),
                                 city=agency.city, start=start, end=end, capacity=2, weekly_hours=30, **extra)
            else:
                self.new_mission(host=host, scheme=scheme, country="FR", city=host.city, start=start,
                                 end=end, capacity=self.rng.randint(2, 12 if scheme == "workcamp" else 4),
                                 weekly_hours=30, age_min=18, age_max=30 if scheme != "vsi" else None,
                                 **extra)
        # Two drafts so hosts see the publishing step.
        for host in self.hosts[:2]:
            mission = self.new_mission(host=host, scheme="service_civique", country="FR", city=host.city,
                                       start=date(year, 10, 1), end=date(year + 1, 3, 31), capacity=2,
                                       weekly_hours=28)
            mission.status = MissionStatus.DRAFT

    # --- persistence ----------------------------------------------------------------------
    def save(self) -> None:
        Volunteer.objects.bulk_create(self.volunteers, batch_size=500)
        Mission.objects.bulk_create(self.missions, batch_size=500)
        placements, history = [], []
        for placement, mission, volunteer in self.placements:
            placement.mission = mission
            placement.volunteer = volunteer
            placement.status, placement.ended_on, placement.end_reason = self.outcome(placement)
            placements.append(placement)
        Placement.objects.bulk_create(placements, batch_size=500)
        for placement in placements:
            for before, after in _path(placement.status):
                history.append(PlacementStatusChange(placement=placement, from_status=before, to_status=after,
                                                     reason=placement.end_reason if after == placement.status else ""))
        PlacementStatusChange.objects.bulk_create(history, batch_size=1000)
        # `changed_at` is set to now on insert; give each change the day it would have happened.
        for change in history:
            change.changed_at = _midday(_change_day(change.placement, change.to_status, self.today))
        PlacementStatusChange.objects.bulk_update(history, ["changed_at"], batch_size=1000)

    def outcome(self, placement: Placement) -> tuple[str, date | None, str]:
        roll = self.rng.random()
        fate = self.fates[id(placement)]
        if fate == "confirmed":  # the story's arrivals (see `story`): confirmed, not started
            return PlacementStatus.CONFIRMED, None, ""
        if fate == "cancelled" or (fate == "random" and roll < 0.03 and placement.start_date <= self.today):
            return PlacementStatus.CANCELLED, None, self.rng.choice(
                ["Visa refused", "Visa not issued in time", "Personal reasons"])
        if placement.start_date > self.today:
            return (PlacementStatus.PROPOSED if roll < 0.3 else PlacementStatus.CONFIRMED), None, ""
        if placement.end_date >= self.today:
            return PlacementStatus.IN_MISSION, None, ""
        if roll < 0.15:
            days = (placement.end_date - placement.start_date).days
            ended = placement.start_date + timedelta(days=self.rng.randint(1, max(1, days - 1)))
            return PlacementStatus.INTERRUPTED, ended, self.rng.choice(
                ["Found a job", "Health reasons", "Family reasons", "Mutual agreement"])
        return PlacementStatus.COMPLETED, placement.end_date, ""

    def applications(self) -> Volunteer:
        """Open applications to next year's missions, some waiting too long for an answer."""
        # Foreign applicants to missions in France (the French ones abroad are the Senegal
        # applicants'); the story's missions (`story`) are full already.
        open_missions = [m for m in self.missions
                         if m.status == MissionStatus.PUBLISHED and m.country == "FR"
                         and id(m) not in self.story_missions]
        applicants = []
        for i in range(120):
            country = sorted(data.ORIGIN_WEIGHTS)[i % len(data.ORIGIN_WEIGHTS)]
            applicants.append(self.new_volunteer(
                nationality=country, start=date(self.today.year + 1, 3, 1), age=(18, 25),
                sender=self.agencies.get(country, self.coordinator)))
        Volunteer.objects.bulk_create(applicants)
        applications, choices = [], []
        for i, volunteer in enumerate(applicants):
            application = Application(
                volunteer=volunteer, sending_organisation=volunteer.sending_organisation,
                kind=ApplicationKind.NOMINATION if i % 4 == 0 else ApplicationKind.APPLICATION,
                motivation="I would like to share my experience and learn from another country.",
                status=ApplicationStatus.SUBMITTED if i % 5 else ApplicationStatus.SHORTLISTED,
            )
            applications.append(application)
        Application.objects.bulk_create(applications)
        for application in applications:
            picks = self.rng.sample(open_missions, self.rng.randint(1, 6))
            for rank, mission in enumerate(picks, start=1):
                choices.append(ApplicationChoice(
                    application=application, mission=mission, rank=rank,
                    status=ChoiceStatus.SHORTLISTED if application.status == ApplicationStatus.SHORTLISTED and rank == 1
                    else ChoiceStatus.PENDING,
                ))
        ApplicationChoice.objects.bulk_create(choices)
        # Submission dates spread over the last six weeks (auto_now_add cannot be set on create),
        # with the history rows the workflow would have written.
        history = []
        for i, application in enumerate(applications):
            submitted = self.today - timedelta(days=(i * 7) % 45)
            application.submitted_at = _midday(submitted)
            Application.objects.filter(pk=application.pk).update(
                submitted_at=application.submitted_at, created_at=application.submitted_at)
            history.append(ApplicationStatusChange(
                application=application, from_status=ApplicationStatus.DRAFT,
                to_status=ApplicationStatus.SUBMITTED))
            if application.status == ApplicationStatus.SHORTLISTED:
                history.append(ApplicationStatusChange(
                    application=application, from_status=ApplicationStatus.SUBMITTED,
                    to_status=ApplicationStatus.SHORTLISTED))
        ApplicationStatusChange.objects.bulk_create(history)
        for change in history:
            submitted_at = change.application.submitted_at or _midday(self.today)
            later = timedelta(days=0 if change.to_status == ApplicationStatus.SUBMITTED else 3)
            change.changed_at = submitted_at + later
        ApplicationStatusChange.objects.bulk_update(history, ["changed_at"])
        self.offers_and_waiting_list(applications)
        return applicants[0]

    def senegal_applicants(self) -> None:
        """Four French volunteers sent by France Volontaires apply for the two missions in
        Senegal (`story`): what the stored placement run places."""
        applicants = [
            self.new_volunteer(nationality="FR", start=self.senegal_missions[0].start_date,
                               age=(22, 27), sender=self.coordinator)
            for _ in range(4)
        ]
        Volunteer.objects.bulk_create(applicants)
        submitted = _midday(self.today - timedelta(days=10))
        for i, volunteer in enumerate(applicants):
            application = Application.objects.create(
                volunteer=volunteer, sending_organisation=self.coordinator,
                kind=ApplicationKind.NOMINATION,
                motivation="Je souhaite mettre mes compétences au service d'un projet au Sénégal.",
                status=ApplicationStatus.SUBMITTED,
            )
            Application.objects.filter(pk=application.pk).update(
                submitted_at=submitted, created_at=submitted)
            ApplicationStatusChange.objects.filter(application=application).update(changed_at=submitted)
            missions = self.senegal_missions[i % 2:] + self.senegal_missions[:i % 2]
            ApplicationChoice.objects.bulk_create(
                ApplicationChoice(application=application, mission=mission, rank=rank)
                for rank, mission in enumerate(missions, start=1))
            ApplicationStatusChange.objects.create(
                application=application, from_status=ApplicationStatus.DRAFT,
                to_status=ApplicationStatus.SUBMITTED)
        ApplicationStatusChange.objects.filter(
            application__volunteer__in=applicants).update(changed_at=submitted)

    def visa_steps(self) -> None:
        """After the checklists are open: the story's visa steps are under way, one blocked
        (no consulate appointment yet), each with the history row a person would have left."""
        from reciprocity.procedures.models import (
            VISA_STEP_CODE,
            ProcedureStep,
            StepStatus,
            StepStatusChange,
        )

        notes = {
            StepStatus.BLOCKED: "Consulate appointment not given yet; the agency is chasing it.",
            StepStatus.IN_PROGRESS: "Application filed at the consulate, waiting for the decision.",
        }
        people = [*self.waiting_for_visa, self.visa_deadline_soon]
        wanted = [StepStatus.BLOCKED, StepStatus.IN_PROGRESS, StepStatus.IN_PROGRESS]
        now = self.now
        for volunteer, status in zip(people, wanted, strict=True):
            step = ProcedureStep.objects.filter(
                procedure__placement__volunteer=volunteer, code=VISA_STEP_CODE).order_by("pk").first()
            if step is None:  # the rules need no visa for this volunteer after all
                continue
            ProcedureStep.objects.filter(pk=step.pk).update(status=status, status_changed_at=now)
            StepStatusChange.objects.create(step=step, from_status=step.status, to_status=status,
                                            note=notes[status])

    def placement_run(self) -> None:
        """A finished placement run for next year's season, made by the coordinator, so that
        its proposals and the comparison with first-come-first-served can be read at once. The
        engine runs here, on the demo's few hundred choices, within a short time limit."""
        from reciprocity.matching.models import RunMode
        from reciprocity.matching.services import run_create, run_execute

        year = self.today.year + 1
        run = run_create(
            created_by=User.objects.get(username="coordinator"), organisation=self.coordinator,
            label=f"Season {year}", season_start=date(year, 1, 1), season_end=date(year, 12, 31),
            mode=RunMode.OPTIMAL, time_limit=RUN_TIME_LIMIT, start=False,
        )
        run_execute(run=run, clock=timezone.now)

    def offers_and_waiting_list(self, applications: list[Application]) -> None:
        """Places offered and a waiting list, through the real services, so the pages show them:
        the demo volunteer's first choice and two choices for a mission of Maison des Solidarités
        are offered (pending, to answer within OFFER_RESPONSE_DAYS); three other candidates for
        that mission wait on its list, in the host's order."""
        from reciprocity.core.exceptions import ApplicationError
        from reciprocity.workflow.services import application_choice_accept

        def offer(choice: ApplicationChoice) -> None:
            # The host's decision taken by the builder (no signed-in host exists yet); a refusal
            # (e.g. two agreements cover the pair) leaves that choice open.
            with contextlib.suppress(ApplicationError):
                application_choice_accept(actor=None, choice=choice, today=self.today,
                                          now=self.now, check_permission=False)

        offer(applications[0].choices.order_by("rank").first())  # type: ignore[arg-type]
        maison = ApplicationChoice.objects.filter(
            application__in=applications[1:], mission__host__name="Maison des Solidarités",
            status__in=[ChoiceStatus.PENDING, ChoiceStatus.SHORTLISTED],
        ).order_by("mission_id", "application_id")
        mission_id = maison.values_list("mission_id", flat=True).first()
        if mission_id is None:
            return
        candidates = list(maison.filter(mission_id=mission_id).select_related("application")[:5])
        for choice in candidates[:2]:
            offer(choice)
        reserves = candidates[2:]
        for rank, choice in enumerate(reserves, start=1):
            ApplicationChoice.objects.filter(pk=choice.pk).update(
                status=ChoiceStatus.RESERVE, reserve_rank=rank)
            ApplicationStatusChange.objects.create(
                application=choice.application, choice=choice, from_status=choice.status,
                to_status=ChoiceStatus.RESERVE)
            if choice.application.status == ApplicationStatus.SUBMITTED:
                Application.objects.filter(pk=choice.application_id).update(
                    status=ApplicationStatus.SHORTLISTED)
                ApplicationStatusChange.objects.create(
                    application=choice.application, from_status=ApplicationStatus.SUBMITTED,
                    to_status=ApplicationStatus.SHORTLISTED)

    def users(self, volunteer: Volunteer) -> None:
        User.objects.create_superuser(STAFF_USERNAME, "staff@example.org", data.DEMO_PASSWORD,
                                      first_name="Camille", last_name="Roux")
        host = next(h for h in self.hosts if h.name == "Maison des Solidarités")
        # The coordinator, the host's tutor and the agency's officer are the contacts their
        # organisations show.
        for username, org, role, full_name in (
            ("coordinator", self.coordinator, MembershipRole.ADMIN, data.COORDINATOR_CONTACT),
            ("host", host, MembershipRole.OFFICER, data.HOST_TUTORS[0]),
            ("agency", self.agencies["TG"], MembershipRole.OFFICER, data.AGENCY_CONTACTS[0]),
            ("viewer", self.agencies["BF"], MembershipRole.VIEWER, "Aminata Sawadogo"),
        ):
            first, last = full_name.split(" ", 1)
            user = User.objects.create_user(username, f"{username}@example.org", data.DEMO_PASSWORD,
                                            first_name=first, last_name=last)
            Membership.objects.create(user=user, organisation=org, role=role)
        user = User.objects.create_user("volunteer", "volunteer@example.org", data.DEMO_PASSWORD,
                                        first_name=volunteer.first_name, last_name=volunteer.last_name)
        Volunteer.objects.filter(pk=volunteer.pk).update(user=user)
        self.conversations(user)

    def conversations(self, volunteer_user: User) -> None:
        """A few messages (docs/conversations.md): the host and platform staff about a placement
        at Maison des Solidarités, and the demo volunteer with the host of their first choice."""
        from reciprocity.conversations.services import (
            message_post,
            thread_for_application,
            thread_for_placement,
        )

        host_user, staff = User.objects.get(username="host"), User.objects.get(username=STAFF_USERNAME)
        at = _midday(self.today) - timedelta(days=2)
        placement = Placement.objects.filter(
            mission__host__name="Maison des Solidarités",
            status__in=[PlacementStatus.CONFIRMED, PlacementStatus.IN_MISSION],
        ).order_by("pk").first()
        if placement is not None:
            thread = thread_for_placement(placement=placement)
            message_post(thread=thread, author=host_user, now=at, text=(
                "Bonjour, the room is ready. Could you send us the arrival flight number?"))
            message_post(thread=thread, author=staff, now=at + timedelta(hours=3),
                         text="The visa appointment at the consulate is confirmed.")
        application = Application.objects.filter(volunteer__user=volunteer_user).first()
        choice = application.choices.order_by("rank").first() if application else None
        if application is not None and choice is not None:
            thread = thread_for_application(application=application, host_id=choice.mission.host_id)
            message_post(thread=thread, author=volunteer_user, now=at, text=(
                "Hello, is the mission open to volunteers who speak only a little French?"))


def _other(gender: str) -> str:
    return "M" if gender == "F" else "F"


def _path(status: str) -> Iterator[tuple[str, str]]:
    """The status changes that led to `status`, for the history rows."""
    chains = {
        PlacementStatus.PROPOSED: ["proposed"],
        PlacementStatus.CONFIRMED: ["proposed", "confirmed"],
        PlacementStatus.CANCELLED: ["proposed", "confirmed", "cancelled"],
        PlacementStatus.IN_MISSION: ["proposed", "confirmed", "in_mission"],
        PlacementStatus.COMPLETED: ["proposed", "confirmed", "in_mission", "completed"],
        PlacementStatus.INTERRUPTED: ["proposed", "confirmed", "in_mission", "interrupted"],
    }
    chain = chains[PlacementStatus(status)]
    yield from zip(["", *chain[:-1]], chain, strict=True)


def _change_day(placement: Placement, status: str, today: date) -> date:
    """When a demo placement reached `status`: proposed three months before the start,
    confirmed two months before, cancelled one month before, and so on (never after today)."""
    days = {
        PlacementStatus.PROPOSED: placement.start_date - timedelta(days=90),
        PlacementStatus.CONFIRMED: placement.start_date - timedelta(days=60),
        PlacementStatus.CANCELLED: placement.start_date - timedelta(days=30),
        PlacementStatus.IN_MISSION: placement.start_date,
        PlacementStatus.COMPLETED: placement.end_date,
        PlacementStatus.INTERRUPTED: placement.ended_on or placement.end_date,
    }
    return min(days[PlacementStatus(status)], today)


def _midday(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))

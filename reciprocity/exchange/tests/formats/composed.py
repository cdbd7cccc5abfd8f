"""Exchange files composed for the tests from the handbook's rules (no partner's file copied).

Each builder takes element overrides: a value replaces the element's text, None removes the
element, and extra keys add elements (misspelled tags, for instance).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

PEF_HEADER: dict[str, str | None] = {
    "network": "ALLIANCE",
    "application": "Composer",
    "date_filed": "2027-02-01",
    "version": "2.0",
    "pef_sent_by": "Incoming Officer",
    "pef_sender_email": "incoming@example.org",
    "organization": "Example Volunteers",
    "organization_code": "XYZ",
}

PEF_PROJECT: dict[str, str | None] = {
    "project_id": "a3f1c0de5b7a4c2e9d8f00112233aabb",
    "code": "XYZ 07",
    "project_type": "STV",
    "work": "ENVI,MANU",
    "start_date": "2027-07-05",
    "end_date": "2027-07-19",
    "name": "Dune Path Restoration",
    "location": "Seaside village",
    "country": "NLD",
    "region": "North Holland",
    "languages": "eng,nld",
    "participation_fee": "50",
    "participation_fee_currency": "EUR",
    "min_age": "18",
    "max_age": "35",
    "disabled_vols": "0",
    "accessibility": "1",
    "numvol": "12",
    "numvol_m": "6",
    "numvol_f": "6",
    "max_vols_per_country": "2",
    "max_teenagers": "0",
    "max_national_vols": "2",
    "vegetarian": "1",
    "family": "0",
    "description": "Footpaths in the dunes.",
    "descr_partner": "A local nature trust that manages the dunes.",
    "descr_work": "Repairing wooden paths and removing invasive plants, 6 hours a day.",
    "descr_accomodation_and_food": "Scout hut, shared rooms; the group cooks together.",
    "descr_location_and_leisure": "Beach nearby; a trip to the city at the weekend.",
    "descr_requirements": "Motivation letter; good physical condition.",
    "descr_appointement": "Village bus stop, 5 July at 16:00.",
    "project_summary": "Repair footpaths in a protected dune area.",
    "ho_description": "Example Volunteers runs camps since 1990.",
    "airport": "AMS",
    "train_bus_station": "Village bus stop",
    "lat_project": "52.6",
    "lng_project": "4.6",
    "lat_station": "52.61",
    "lng_station": "4.62",
    "notes": "Bring boots.",
    "bi_tri_multi": "0",
    "last_update": "2027-01-30",
    "hide_prj_date": "2027-07-01",
    "sdg_prj": "13,15",
    "url_prj_photo1": "https://example.org/photo?fileIdentifier=1",
    "url_prj_photo2": "https://example.org/photo?fileIdentifier=2",
    "cancelled": "0",
}


def _elements(values: dict[str, str | None], indent: str) -> str:
    return "".join(
        f"{indent}<{tag}>{escape(value)}</{tag}>\n" for tag, value in values.items()
        if value is not None
    )


def project(attribute_id: str | None = None, **overrides: str | None) -> str:
    values = {**PEF_PROJECT, **overrides}
    attr = f' id="{escape(attribute_id)}"' if attribute_id is not None else ""
    return f"    <project{attr}>\n{_elements(values, '      ')}    </project>\n"


def pef(*projects: str, header: dict[str, str | None] | None = None,
        root: str = "projectform") -> bytes:
    head = _elements({**PEF_HEADER, **(header or {})}, "  ")
    body = "".join(projects) if projects else project()
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>\n{head}  <projects>\n{body}'
            f"  </projects>\n</{root}>\n").encode()


VEF: dict[str, str | None] = {
    "sender": "ABC",
    "version": "1.0",
    "application": "Composer",
    "date_filed": "2027-03-14",
    "lastname": "Kowalczyk",
    "firstname": "Anna Maria",
    "sex": "F",
    "birthdate": "2001-09-30",
    "birthplace": "Gdansk",
    "address1": "Example Street 12",
    "address2": "Flat 3",
    "zip": "80-001",
    "city": "Gdansk",
    "prov_rgn_state": "Pomorskie",
    "country": "POL",
    "email": "anna@example.org",
    "telephone": "+48 500 000 000",
    "telephone2": "+48 500 000 003",
    "telephone3": "",
    "cellphone": "+48 500 000 001",
    "nationality": "POL",
    "language1": "pol",
    "langlevel1": "4",
    "language2": "eng",
    "langlevel2": "3",
    "language3": "ger",
    "langlevel3": "1",
    "occupation": "STU",
    "emergency_contact": "Piotr Kowalczyk, +48 500 000 002",
    "passport": "AB1234567, 2020-01-10, Gdansk, 2030-01-09",
    "tmp_address1": "Dorm 4",
    "tmp_address2": "Room 12",
    "tmp_zip": "80-002",
    "tmp_city": "Sopot",
    "tmp_country": "POL",
    "tmp_until": "2027-06-30",
    "disability": "0",
    "special_needs": "Vegetarian",
    "experience": "Two weeks at a youth festival, 2023",
    "motivation": "I want to work on a nature project and meet people.",
    "remarks": "Arrives by train.",
    "choice1": "XYZ 07",
    "choice2": "XYZ 08",
    "place_any_prj": "1",
    "place_any_prj_work": "ENVI",
    "place_any_prj_from": "2027-07-01",
    "place_any_prj_to": "2027-08-31",
    "place_any_prj_country": "NLD",
    "together_with": "Jan Nowak",
    "req_sent_by": "Outgoing Officer",
    "req_sender_email": "outgoing@example.org",
}


def vef(**overrides: str | None) -> bytes:
    values = {**VEF, **overrides}
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<vef>\n{_elements(values, "  ")}</vef>\n'
            ).encode()


FPL_PROJECT: dict[str, str | None] = {
    "project_id": "a3f1c0de5b7a4c2e9d8f00112233aabb",
    "code": "XYZ 07",
    "start_date": "2027-07-05",
    "end_date": "2027-07-19",
    "numvol": "12",
    "free_m": "2",
    "free_f": "0",
    "free_teen": "0",
    "reserved": "1",
    "no_more_from": "ESP,ITA",
    "remarks": "Women's places full",
    "last_update": "2027-05-01",
}


def fpl(*projects: dict[str, str | None], root: str = "freeplaceslist") -> bytes:
    items = projects or (FPL_PROJECT,)
    body = "".join(
        f"    <project>\n{_elements({**FPL_PROJECT, **p}, '      ')}    </project>\n"
        for p in items
    )
    if root == "freeplaceslists":
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<freeplaceslists>\n{body}'
                "</freeplaceslists>\n").encode()
    head = _elements({
        "network": "ALLIANCE", "application": "Composer", "date_filed": "2027-05-02",
        "version": "1.0", "fpl_sent_by": "Incoming Officer",
        "fpl_sender_email": "incoming@example.org", "organization": "Example Volunteers",
        "organization_code": "XYZ",
    }, "  ")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<freeplaceslist>\n{head}  <projects>\n'
            f"{body}  </projects>\n</freeplaceslist>\n").encode()

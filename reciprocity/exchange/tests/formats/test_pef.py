"""PEF reading (1.0 and 2.0, wrappers, deviations) and writing (2.0 with the 1.0 attribute)."""

from datetime import date
from decimal import Decimal

import pytest

from reciprocity.exchange.formats import parse_pef, pef_file_name, project_id_for, write_pef
from reciprocity.exchange.formats.base import Report, load_xml
from reciprocity.exchange.tests.formats import composed


def read(data: bytes, **kwargs):
    return parse_pef(data, name="PEF_XYZ_20270201.xml", **kwargs)


def test_handbook_example_project_id():
    assert project_id_for("AXZ", "ABC MTV-01", "2011-02-12", "2011-08-01") == (
        "6a34b3c53f7737f9a429d5bc1ccca2b1"
    )
    assert project_id_for(" AXZ ", " ABC MTV-01 ", date(2011, 2, 12), date(2011, 8, 1)) == (
        "6a34b3c53f7737f9a429d5bc1ccca2b1"
    )


def test_every_element_of_a_v2_project_is_read():
    result = read(composed.pef())
    assert result.report.errors == [] and result.report.warnings == []
    (form,) = result.forms
    assert form.header.organization_code == "XYZ"
    assert form.header.organization == "Example Volunteers"
    assert form.header.date_filed == date(2027, 2, 1)
    assert (form.header.network, form.header.application, form.header.version) == (
        "ALLIANCE", "Composer", "2.0")
    assert (form.header.pef_sent_by, form.header.pef_sender_email) == (
        "Incoming Officer", "incoming@example.org")
    (p,) = form.projects
    expected = {
        "project_id": "a3f1c0de5b7a4c2e9d8f00112233aabb", "code": "XYZ 07",
        "project_type": "STV", "work": ["ENVI", "MANU"], "start_date": date(2027, 7, 5),
        "end_date": date(2027, 7, 19), "name": "Dune Path Restoration",
        "location": "Seaside village", "country": "NLD", "region": "North Holland",
        "languages": ["eng", "nld"], "participation_fee": Decimal("50"),
        "participation_fee_currency": "EUR", "min_age": 18, "max_age": 35,
        "disabled_vols": False, "accessibility": True, "numvol": 12, "numvol_m": 6,
        "numvol_f": 6, "max_vols_per_country": 2, "max_teenagers": 0, "max_national_vols": 2,
        "vegetarian": True, "family": False, "description": "Footpaths in the dunes.",
        "descr_partner": "A local nature trust that manages the dunes.",
        "descr_work": "Repairing wooden paths and removing invasive plants, 6 hours a day.",
        "descr_accomodation_and_food": "Scout hut, shared rooms; the group cooks together.",
        "descr_location_and_leisure": "Beach nearby; a trip to the city at the weekend.",
        "descr_requirements": "Motivation letter; good physical condition.",
        "descr_appointement": "Village bus stop, 5 July at 16:00.",
        "project_summary": "Repair footpaths in a protected dune area.",
        "ho_description": "Example Volunteers runs camps since 1990.", "airport": "AMS",
        "train_bus_station": "Village bus stop", "lat_project": 52.6, "lng_project": 4.6,
        "lat_station": 52.61, "lng_station": 4.62, "notes": "Bring boots.",
        "bi_tri_multi": False, "last_update": date(2027, 1, 30),
        "hide_prj_date": date(2027, 7, 1), "sdg_prj": [13, 15],
        "photos": ["https://example.org/photo?fileIdentifier=1",
                   "https://example.org/photo?fileIdentifier=2"],
        "cancelled": False, "generated_id": False,
    }
    assert {name: getattr(p, name) for name in expected} == expected


def test_v1_attribute_id_is_read():
    result = read(composed.project(attribute_id="0DB3BEFFEE55134C77EB545DEB3ADF5E",
                                   project_id=None) and composed.pef(
        composed.project(attribute_id="0db3beffee55134c77eb545deb3adf5e", project_id=None)))
    assert result.projects[0][1].project_id == "0db3beffee55134c77eb545deb3adf5e"
    assert result.report.warnings == []


def test_element_and_attribute_agreeing_give_no_warning():
    result = read(composed.pef(composed.project(
        attribute_id="a3f1c0de5b7a4c2e9d8f00112233aabb")))
    assert result.report.warnings == []


@pytest.mark.parametrize(("attribute", "element", "warning"), [
    (None, None, "missing; generated as MD5 of “XYZ:XYZ 07:2027-07-05:2027-07-19”"),
    ("   ", None, "blank; generated as MD5"),
    (None, "", "blank; generated as MD5"),
    (None, "    ", "blank; generated as MD5"),
])
def test_missing_or_blank_id_is_generated_as_the_handbook_says(attribute, element, warning):
    result = read(composed.pef(composed.project(attribute_id=attribute, project_id=element)))
    (p,) = [p for _, p in result.projects]
    assert p.project_id == project_id_for("XYZ", "XYZ 07", "2027-07-05", "2027-07-19")
    assert p.generated_id
    assert any("<project_id>: " + warning in w for w in result.report.warnings)
    assert result.report.errors == []


def test_padded_and_hyphenated_ids_are_normalised_with_a_warning():
    result = read(composed.pef(composed.project(
        project_id=" A3F1C0DE-5B7A-4C2E-9D8F-00112233AABB ")))
    assert result.projects[0][1].project_id == "a3f1c0de5b7a4c2e9d8f00112233aabb"
    assert any("<project_id>: “ A3F1C0DE" in w for w in result.report.warnings)


# Every tolerated deviation of the shared note, with the warning it gives and the value read.
DEVIATIONS = [
    ({"country": "NL"}, "<country>: “NL” is a 2-letter code; read as NLD.", "country", "NLD"),
    ({"country": "nld"}, None, "country", "NLD"),
    ({"work": "ENVI,MANU,"}, "<work>: “ENVI,MANU,”: empty list item(s) ignored", "work",
     ["ENVI", "MANU"]),
    ({"work": "ENVI,,MANU"}, "empty list item(s) ignored", "work", ["ENVI", "MANU"]),
    ({"work": "ENVI,MANU,ENVI"}, "“ENVI” repeated; kept once.", "work", ["ENVI", "MANU"]),
    ({"work": "ENVI/MANU-CONS"}, "<work>: “ENVI/MANU-CONS”: - / read as list separator",
     "work", ["ENVI", "MANU", "CONS"]),
    ({"work": "ENV,SPORT"}, "<work>: “ENV” read as ENVI.", "work", ["ENVI", "SPOR"]),
    ({"work": "REFU,DISA,DIS"}, "“DIS” repeats DISA; kept once.", "work", ["REFU", "DISA"]),
    ({"languages": "eng,eng"}, "<languages>: “eng,eng”: “eng” repeated; kept once.",
     "languages", ["eng"]),
    ({"languages": "eng,"}, "empty list item(s) ignored", "languages", ["eng"]),
    ({"languages": "ENG,HOL"}, "<languages>: “HOL” is a PLATO language code, not ISO 639-2; "
     "read as nld.", "languages", ["eng", "nld"]),
    ({"languages": "ESP,JAP,CHN,DNK"}, "“JAP” is a PLATO language code", "languages",
     ["spa", "jpn", "zho", "dan"]),
    ({"languages": "en,es"}, "<languages>: “en” is a 2-letter code (ISO 639-1); read as eng.",
     "languages", ["eng", "spa"]),
    ({"languages": "ger,fre"}, None, "languages", ["deu", "fra"]),
    ({"participation_fee": ".00"}, "<participation_fee>: “.00” read as 0.",
     "participation_fee", Decimal("0")),
    ({"participation_fee": "200.00"}, None, "participation_fee", Decimal("200")),
    ({"participation_fee": "200,50"}, "“200,50” read as 200.5", "participation_fee",
     Decimal("200.5")),
    ({"participation_fee": None, "extrafee": "150"}, "<extrafee>: read as <participation_fee>",
     "participation_fee", Decimal("150")),
    ({"participation_fee_currency": None, "participation_fee_curency": "DKK"},
     "<participation_fee_curency>: read as <participation_fee_currency>",
     "participation_fee_currency", "DKK"),
    ({"participation_fee_currency": None, "extrafee_currency": "EUR"},
     "<extrafee_currency>: read as <participation_fee_currency>",
     "participation_fee_currency", "EUR"),
    ({"vegetarian": ""}, "<vegetarian>: empty boolean read as 0 (no).", "vegetarian", False),
    ({"disabled_vols": "ss"}, "<disabled_vols>: “ss” is not a boolean; read as 0 (no).",
     "disabled_vols", False),
    ({"family": "true"}, None, "family", True),
    ({"family": "yes"}, "<family>: “yes” read as 1 (yes).", "family", True),
    ({"cancelled": "  "}, "<cancelled>: empty boolean read as 0 (no).", "cancelled", False),
    ({"train_bus_station": None, "station": "Central"}, "<station>: read as <train_bus_station>",
     "train_bus_station", "Central"),
    ({"train_bus_station": None, "train": "Central"}, "<train>: read as <train_bus_station>",
     "train_bus_station", "Central"),
    ({"location": "Farm 3\r\nHill road\n\tVillage"},
     "<location>: line breaks or tabs in text joined into one line.", "location",
     "Farm 3 Hill road Village"),
    ({"name": "Caf&eacute; camp"}, "<name>: HTML entities decoded", "name", "Café camp"),
    ({"name": "\x93Green\x94 camp"}, "cp1252 quotation marks", "name", '"Green" camp'),
    ({"project_type": "TEE"}, "<project_type>: “TEE” read as TEEN.", "project_type", "TEEN"),
    ({"numvol": "12.00"}, "<numvol>: “12.00” read as 12.", "numvol", 12),
    ({"lat_project": "0", "lng_project": "0"}, None, "lat_project", None),
    ({"sdg_prj": "0"}, None, "sdg_prj", []),
    ({"sdg_prj": "4 13"}, None, "sdg_prj", [4, 13]),
    ({"descr_partner": None, "partner": "Trust"}, "<partner>: read as <descr_partner>",
     "descr_partner", "Trust"),
    ({"region": None, "prov_rgn_state": "Drenthe"}, "<prov_rgn_state>: read as <region>",
     "region", "Drenthe"),
    ({"start_date": "2027-07-05T00:00:00"}, "“2027-07-05T00:00:00” read as 2027-07-05",
     "start_date", date(2027, 7, 5)),
    ({"misspeled_tag": "x"}, "<misspeled_tag>: unknown element ignored.", "code", "XYZ 07"),
]


@pytest.mark.parametrize(("overrides", "warning", "field", "value"), DEVIATIONS)
def test_tolerated_deviation_is_read_with_its_warning(overrides, warning, field, value):
    result = read(composed.pef(composed.project(**overrides)))
    assert result.report.errors == []
    (p,) = [p for _, p in result.projects]
    assert getattr(p, field) == value
    if warning is None:
        assert result.report.warnings == []
    else:
        assert any(warning in w for w in result.report.warnings), result.report.warnings
        assert all(w.startswith("PEF_XYZ_20270201.xml: ") for w in result.report.warnings)


@pytest.mark.parametrize(("header", "warning"), [
    ({"pef_sent_by": None, "pef_send_by": "Officer"}, "<pef_send_by>: read as <pef_sent_by>"),
    ({"pef_sent_by": None, "fpl_send_by": "Officer"}, "<fpl_send_by>: read as <pef_sent_by>"),
    ({"pef_sender_email": None, "fpl_sender_email": "o@example.org"},
     "<fpl_sender_email>: read as <pef_sender_email>"),
    ({"organization_code": None, "Organization_code": "XYZ"},
     "<Organization_code>: read as <organization_code> (tag name case)"),
    ({"application": None, "appli": "E-vet"}, "<appli>: read as <application>"),
])
def test_header_variants_are_read_with_a_warning(header, warning):
    result = read(composed.pef(header=header))
    assert result.report.errors == []
    assert result.forms[0].header.organization_code == "XYZ"
    assert result.forms[0].header.pef_sent_by in {"Officer", "Incoming Officer"}
    assert any(warning in w for w in result.report.warnings), result.report.warnings


@pytest.mark.parametrize(("overrides", "error"), [
    ({"code": None}, "project 1 <code>: missing; the project code is required."),
    ({"code": " "}, "project 1 <code>: empty; the project code is required."),
    ({"name": None}, "project 1 (XYZ 07) <name>: missing"),
    ({"start_date": None}, "project 1 (XYZ 07) <start_date>: missing date"),
    ({"end_date": "19/07/2027"}, "project 1 (XYZ 07) <end_date>: “19/07/2027” is not a date"),
    ({"end_date": "2027-07-01"}, "<end_date>: 2027-07-01 is before the start 2027-07-05."),
    ({"country": None}, "<country>: missing country"),
    ({"country": "Atlantis"}, "<country>: “Atlantis” is not a country"),
    ({"numvol": None}, "<numvol>: missing number."),
    ({"numvol": "many"}, "<numvol>: “many” is not a whole number."),
    ({"numvol": "0"}, "<numvol>: 0 is below 1."),
    ({"work": None}, "<work>: missing; this element is required."),
    ({"languages": None}, "<languages>: missing; this element is required."),
])
def test_a_project_missing_a_required_element_is_an_error(overrides, error):
    result = read(composed.pef(composed.project(**overrides)))
    assert any(e.startswith("PEF_XYZ_20270201.xml: ") and error in e
               for e in result.report.errors), result.report.errors
    assert result.projects == []


def test_header_without_organisation_code_is_an_error():
    result = read(composed.pef(header={"organization_code": None}))
    assert any("<organization_code>: missing" in e for e in result.report.errors)


def test_duplicate_project_ids_in_one_file_are_an_error():
    result = read(composed.pef(composed.project(), composed.project(code="XYZ 08")))
    assert any("<project_id>: a3f1c0de5b7a4c2e9d8f00112233aabb also identifies" in e
               for e in result.report.errors)


def test_projectforms_wrapper_with_one_form_per_organisation():
    inner = composed.pef(composed.project(), composed.project(
        project_id="b" * 32, code="XYZ 08")).decode().split("\n", 1)[1]
    other = composed.pef(header={"organization_code": "ABC", "organization": "Other"}).decode(
        ).split("\n", 1)[1]
    data = f'<?xml version="1.0" encoding="UTF-8"?>\n<projectforms>{inner}{other}</projectforms>'
    result = read(data.encode())
    assert result.report.errors == []
    assert [(h.organization_code, p.code) for h, p in result.projects] == [
        ("XYZ", "XYZ 07"), ("XYZ", "XYZ 08"), ("ABC", "XYZ 07")]


def test_projectforms_with_bare_projects_needs_the_organisation_from_the_caller():
    data = ('<?xml version="1.0" encoding="UTF-8"?>\n<projectforms>\n' + composed.project()
            + "</projectforms>").encode()
    assert any("<organization_code>" in e for e in read(data).report.errors)
    result = read(data, organisation_code="XYZ", organisation="Example Volunteers")
    assert result.report.errors == []
    assert result.projects[0][0].organization_code == "XYZ"


def test_writer_round_trip_is_exact_and_strict():
    first = read(composed.pef(
        composed.project(location="Line one\nLine two", sdg_prj="0", participation_fee=".00",
                         vegetarian="", country="NL"),
        composed.project(project_id=None, code="XYZ 08", min_age=None, max_age=None,
                         numvol_m="", lat_project="")))
    assert first.report.errors == []
    (form,) = first.forms
    data = write_pef(form)
    text = data.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<projectform>')
    again = read(data)
    assert again.report.errors == [] and again.report.warnings == []
    for (_, a), (_, b) in zip(first.projects, again.projects, strict=True):
        a.generated_id = b.generated_id = False
        assert a == b
    root = load_xml(data, name="x", roots=["projectform"], report=Report("x"))
    projects = root.find("projects")
    assert projects is not None
    for element in projects.findall("project"):
        assert element.get("id") == element.findtext("project_id")
        assert element.findtext("version") is None
        for child in element:
            assert not any(ch in (child.text or "") for ch in "\r\n\t")
    assert root.findtext("version") == "2.0"
    first_project = projects.findall("project")[0]
    assert first_project.findtext("country") == "NLD"
    assert first_project.findtext("vegetarian") == "0"
    assert first_project.findtext("accessibility") == "1"
    assert first_project.findtext("start_date") == "2027-07-05"
    assert first_project.findtext("languages") == "eng,nld"
    assert first_project.findtext("sdg_prj") == "0"


def test_every_written_element_is_a_known_one():
    result = read(composed.pef())
    data = write_pef(result.forms[0])
    root = load_xml(data, name="x", roots=["projectform"], report=Report("x"))
    tags = [child.tag for child in root.find("projects").find("project")]  # type: ignore[union-attr]
    assert tags[:6] == ["project_id", "code", "project_type", "work", "start_date", "end_date"]
    assert tags[-1] == "cancelled"
    assert set(composed.PEF_PROJECT) <= set(tags)


def test_file_names_follow_the_handbook():
    result = read(composed.pef(composed.project(), composed.project(
        project_id="b" * 32, code="XYZ 08")))
    assert pef_file_name(result.forms[0], today=date(2027, 1, 1)) == "PEF_XYZ_20270201.xml"
    single = read(composed.pef())
    assert pef_file_name(single.forms[0], today=date(2027, 1, 1)) == "PEF_XYZ07_20270201.xml"

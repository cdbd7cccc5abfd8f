"""VEF and FPL: every element read and written, deviations with their warnings, errors."""

from datetime import date

import pytest

from reciprocity.exchange.formats import (
    fpl_file_name,
    parse_fpl,
    parse_vef,
    vef_file_name,
    write_fpl,
    write_vef,
)
from reciprocity.exchange.formats.base import Report, load_xml
from reciprocity.exchange.formats.vef import VefLanguage
from reciprocity.exchange.tests.formats import composed


def read_vef(**overrides):
    return parse_vef(composed.vef(**overrides), name="VEF_ABC_Anna.xml")


def test_every_element_of_a_vef_is_read():
    result = read_vef()
    assert result.report.errors == [] and result.report.warnings == []
    v = result.vef
    assert v is not None
    assert v.key == "Kowalczyk|Anna Maria|2001-09-30"
    expected = {
        "sender": "ABC", "version": "1.0", "application": "Composer",
        "date_filed": date(2027, 3, 14), "lastname": "Kowalczyk", "firstname": "Anna Maria",
        "sex": "F", "birthdate": date(2001, 9, 30), "birthplace": "Gdansk",
        "address1": "Example Street 12", "address2": "Flat 3", "zip": "80-001",
        "city": "Gdansk", "prov_rgn_state": "Pomorskie", "country": "POL",
        "email": "anna@example.org", "telephone": "+48 500 000 000",
        "telephone2": "+48 500 000 003", "telephone3": "", "cellphone": "+48 500 000 001",
        "nationality": "POL",
        "languages": [VefLanguage("pol", 4), VefLanguage("eng", 3), VefLanguage("deu", 1)],
        "occupation": "STU", "emergency_contact": "Piotr Kowalczyk, +48 500 000 002",
        "passport": "AB1234567, 2020-01-10, Gdansk, 2030-01-09", "tmp_address1": "Dorm 4",
        "tmp_address2": "Room 12", "tmp_zip": "80-002", "tmp_city": "Sopot",
        "tmp_country": "POL", "tmp_until": date(2027, 6, 30), "disability": False,
        "special_needs": "Vegetarian", "experience": "Two weeks at a youth festival, 2023",
        "motivation": "I want to work on a nature project and meet people.",
        "remarks": "Arrives by train.", "choices": ["XYZ 07", "XYZ 08"],
        "place_any_prj": True, "place_any_prj_work": "ENVI",
        "place_any_prj_from": date(2027, 7, 1), "place_any_prj_to": date(2027, 8, 31),
        "place_any_prj_country": "NLD", "together_with": "Jan Nowak",
        "req_sent_by": "Outgoing Officer", "req_sender_email": "outgoing@example.org",
    }
    assert {name: getattr(v, name) for name in expected} == expected


VEF_DEVIATIONS = [
    ({"country": "PL"}, "<country>: “PL” is a 2-letter code; read as POL.", "country", "POL"),
    ({"nationality": "GER"}, "<nationality>: “GER” is a PLATO code, not ISO 3166; read as DEU.",
     "nationality", "DEU"),
    ({"nationality": "HOL"}, "read as NLD", "nationality", "NLD"),
    ({"nationality": "czech"}, "<nationality>: “czech” is not a country code; read as CZE.",
     "nationality", "CZE"),
    ({"nationality": "FR"}, "“FR” is a 2-letter code; read as FRA.", "nationality", "FRA"),
    ({"language1": "ENG", "language2": "HOL", "language3": None, "langlevel3": None},
     "<language2>: “HOL” is a PLATO language code, not ISO 639-2; read as nld.", "languages",
     [VefLanguage("eng", 4), VefLanguage("nld", 3)]),
    ({"language3": None, "langlevel3": None, "language2": "czech english"},
     "<language2>: “czech” is not a language code; read as ces.", "languages",
     [VefLanguage("pol", 4), VefLanguage("ces", 3), VefLanguage("eng", 3)]),
    ({"language4": "fra", "langlevel4": "2"}, "<language4>: not in the handbook",
     "languages", [VefLanguage("pol", 4), VefLanguage("eng", 3), VefLanguage("deu", 1),
                   VefLanguage("fra", 2)]),
    ({"language4": ""}, None, "choices", ["XYZ 07", "XYZ 08"]),
    ({"choice19": "XYZ 09"}, "<choice19>: not in the handbook (choice1-choice10); “XYZ 09” "
     "read as the next choice.", "choices", ["XYZ 07", "XYZ 08", "XYZ 09"]),
    ({"choice2": "XYZ 07"}, "<choice2>: “XYZ 07” already chosen; kept once.", "choices",
     ["XYZ 07"]),
    ({"choice2": None, "choice3": "XYZ 09"}, None, "choices", ["XYZ 07", "XYZ 09"]),
    ({"sex": "female"}, "<sex>: “female” read as F.", "sex", "F"),
    ({"sex": "other"}, "<sex>: “other” is neither M nor F", "sex", ""),
    ({"disability": ""}, "<disability>: empty boolean read as 0 (no).", "disability", False),
    ({"place_any_prj": "true"}, None, "place_any_prj", True),
    ({"occupation": "student"}, "<occupation>: “student” is not an occupation code; read as STU.",
     "occupation", "STU"),
    ({"motivation": "Line one.\nLine two."}, "<motivation>: line breaks or tabs",
     "motivation", "Line one. Line two."),
    ({"langlevel2": "7"}, "<langlevel2>: 7 is not a level (1-4). Ignored.", "languages",
     [VefLanguage("pol", 4), VefLanguage("eng", None), VefLanguage("deu", 1)]),
]


@pytest.mark.parametrize(("overrides", "warning", "field", "value"), VEF_DEVIATIONS)
def test_vef_deviation_is_read_with_its_warning(overrides, warning, field, value):
    result = read_vef(**overrides)
    assert result.report.errors == []
    assert result.vef is not None
    assert getattr(result.vef, field) == value
    if warning is None:
        assert result.report.warnings == []
    else:
        assert any(warning in w for w in result.report.warnings), result.report.warnings


@pytest.mark.parametrize(("overrides", "error"), [
    ({"sender": None}, "<sender>: missing; the sending organisation's code is required."),
    ({"lastname": ""}, "<lastname>: empty; the last name is required."),
    ({"firstname": None}, "<firstname>: missing"),
    ({"birthdate": "30.09.2001"}, "<birthdate>: “30.09.2001” is not a date (YYYY-MM-DD)."),
    ({"birthdate": None}, "<birthdate>: missing date"),
    ({"choice1": None, "choice2": None}, "<choice1>: no project chosen"),
    ({"choice1": " ", "choice2": ""}, "<choice1>: no project chosen"),
])
def test_vef_errors_name_the_file_and_element(overrides, error):
    result = read_vef(**overrides)
    assert result.vef is None
    assert any(e.startswith("VEF_ABC_Anna.xml: ") and error in e for e in result.report.errors), (
        result.report.errors)


def test_missing_handbook_elements_are_warnings():
    result = read_vef(emergency_contact=None, req_sent_by=None)
    assert result.vef is not None
    assert "VEF_ABC_Anna.xml: <emergency_contact>: missing (the handbook requires it)." in (
        result.report.warnings)


def test_vef_written_strictly_and_read_back_identically():
    first = read_vef(country="PL", nationality="GER", motivation="A\nB", sex="male")
    assert first.vef is not None
    data = write_vef(first.vef)
    again = parse_vef(data, name="again.xml")
    assert again.report.warnings == [] and again.vef == first.vef
    root = load_xml(data, name="x", roots=["vef"], report=Report("x"))
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<vef>')
    assert root.findtext("country") == "POL"
    assert root.findtext("nationality") == "DEU"
    assert root.findtext("motivation") == "A B"
    assert root.findtext("place_any_prj") == "1"
    assert root.findtext("disability") == "0"
    assert root.findtext("language3") == "deu"
    assert root.findtext("choice2") == "XYZ 08"
    assert [c.tag for c in root][:3] == ["sender", "version", "application"]
    assert set(composed.VEF) <= {c.tag for c in root}
    assert vef_file_name(first.vef) == "VEF_ABC_AnnaMaria_Kowalczyk.xml"


def test_every_element_of_an_fpl_is_read_and_written():
    result = parse_fpl(composed.fpl(), name="FPL__XYZ_20270502.xml")
    assert result.report.errors == [] and result.report.warnings == []
    doc = result.document
    assert doc.header.organization_code == "XYZ" and doc.header.date_filed == date(2027, 5, 2)
    assert doc.header.fpl_sent_by == "Incoming Officer"
    (p,) = doc.projects
    assert (p.project_id, p.code, p.start_date, p.end_date, p.numvol, p.free_m, p.free_f,
            p.free_teen, p.reserved, p.no_more_from, p.remarks, p.last_update) == (
        "a3f1c0de5b7a4c2e9d8f00112233aabb", "XYZ 07", date(2027, 7, 5), date(2027, 7, 19), 12,
        2, 0, 0, 1, ["ESP", "ITA"], "Women's places full", date(2027, 5, 1))
    data = write_fpl(doc)
    assert parse_fpl(data, name="again.xml").document == doc
    assert fpl_file_name(doc, today=date(2027, 1, 1)) == "FPL__XYZ_20270502.xml"


def test_plato_free_places_wrapper_and_deviations():
    data = composed.fpl({"no_more_from": "ES IT,", "remarks": None, "notes": "full",
                         "project_id": "A3F1C0DE-5B7A-4C2E-9D8F-00112233AABB"},
                        root="freeplaceslists")
    result = parse_fpl(data, name="free.xml")
    assert result.report.errors == []
    (p,) = result.document.projects
    assert p.no_more_from == ["ESP", "ITA"]
    assert p.remarks == "full"
    assert p.project_id == "a3f1c0de5b7a4c2e9d8f00112233aabb"
    warnings = " ".join(result.report.warnings)
    assert "<no_more_from>: “ES” is a 2-letter code; read as ESP." in warnings
    assert "<notes>: read as <remarks>" in warnings


def test_fpl_project_without_code_is_an_error():
    result = parse_fpl(composed.fpl({"code": None}), name="f.xml")
    assert result.document.projects == []
    assert any("<code>: missing" in e for e in result.report.errors)

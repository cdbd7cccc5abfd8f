"""Country codes of the exchange formats, Kosovo included (XK on the platform, XKX in files)."""

import pytest

from reciprocity.exchange.formats.base import Report
from reciprocity.exchange.formats.codes import (
    alpha2_of_alpha3,
    alpha3_of_alpha2,
    is_alpha3,
    read_country,
)


@pytest.mark.parametrize(
    ("alpha2", "alpha3"),
    [("FR", "FRA"), ("SN", "SEN"), ("DE", "DEU"), ("XK", "XKX"), ("xk", "XKX"), ("PS", "PSE")],
)
def test_alpha2_and_alpha3_convert_both_ways(alpha2, alpha3):
    assert alpha3_of_alpha2(alpha2) == alpha3
    assert alpha2_of_alpha3(alpha3) == alpha2.upper()
    assert is_alpha3(alpha3)


@pytest.mark.parametrize("code", ["XX", "UK", "EL", ""])
def test_unknown_alpha2_codes_have_no_alpha3(code):
    assert alpha3_of_alpha2(code) is None


# (what the file says, read as, a warning expected)
READ = [
    ("XKX", "XKX", False),
    ("xkx", "XKX", False),
    ("XK", "XKX", True),
    ("Kosovo", "XKX", True),
    ("FRA", "FRA", False),
    ("GER", "DEU", True),
    ("RKS", "", True),  # ICAO's passport code is not an exchange code: ignored with a warning
]


@pytest.mark.parametrize(("text", "expected", "warns"), READ)
def test_read_country(text, expected, warns):
    report = Report("test.xml")

    assert read_country(text, report, "", "country") == expected
    assert bool(report.warnings) is warns
    assert not report.errors


def test_a_kosovar_nationality_word_reads_as_xkx():
    report = Report("test.xml")

    assert read_country("kosovar", report, "", "nationality", nationality=True) == "XKX"

"""Malformed and hostile files are refused cleanly, naming the file (and element)."""

import pytest

from reciprocity.exchange.formats import (
    MAX_BYTES,
    FormatError,
    parse_fpl,
    parse_pef,
    parse_vef,
    read_bytes,
)
from reciprocity.exchange.tests.formats import composed

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<vef><lastname>&lol9;</lastname></vef>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE vef [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<vef><lastname>&secret;</lastname></vef>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE vef SYSTEM "http://example.org/vef.dtd">
<vef><lastname>X</lastname></vef>
"""

PARSERS = {"pef": parse_pef, "vef": parse_vef, "fpl": parse_fpl}


@pytest.mark.parametrize("kind", sorted(PARSERS))
@pytest.mark.parametrize(("data", "expected"), [
    (BILLION_LAUGHS, "DOCTYPE"),
    (EXTERNAL_ENTITY, "DOCTYPE"),
    (EXTERNAL_DTD, "DOCTYPE"),
    (b"this is not XML at all", "not XML"),
    (b"<vef><lastname>unclosed</vef>", "not XML"),
    (b"", "empty"),
    (b"   \n  ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not XML"),
    ('<?xml version="1.0" encoding="UTF-8"?><vef>\udcff</vef>'.encode("utf-8", "surrogateescape"),
     "not XML"),
])
def test_unreadable_files_are_refused_naming_the_file(kind: str, data: bytes, expected: str):
    with pytest.raises(FormatError) as caught:
        PARSERS[kind](data, name="partner-file.xml")
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert problem.startswith("partner-file.xml: ")
    assert expected in problem


@pytest.mark.parametrize(("kind", "data", "root"), [
    ("pef", composed.vef(), "vef"),
    ("vef", composed.pef(), "projectform"),
    ("fpl", composed.vef(), "vef"),
    ("vef", b"<html><body>hello</body></html>", "html"),
    ("pef", composed.fpl(), "freeplaceslist"),
])
def test_wrong_root_is_refused_naming_file_and_element(kind: str, data: bytes, root: str):
    with pytest.raises(FormatError) as caught:
        PARSERS[kind](data, name="x.xml")
    assert caught.value.problems[0].startswith(f"x.xml: <{root}>: wrong root element")


def test_a_file_over_the_limit_is_refused_before_parsing(tmp_path):
    big = tmp_path / "PEF_BIG_20270101.xml"
    # 50 MB of well-formed XML: the size alone refuses it, nothing is parsed.
    chunk = composed.project().encode() * 1000
    with big.open("wb") as handle:
        handle.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<projectform><projects>\n')
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(chunk)
        handle.write(b"</projects></projectform>\n")
    with pytest.raises(FormatError) as caught:
        read_bytes(big)
    message = caught.value.problems[0]
    assert message.startswith("PEF_BIG_20270101.xml: the file is 50.")
    assert "over 10 MB are refused" in message


def test_bytes_over_the_limit_are_refused_by_every_parser():
    data = b"<vef>" + b" " * (MAX_BYTES + 1) + b"</vef>"
    for kind, parse in PARSERS.items():
        with pytest.raises(FormatError, match="over 10 MB are refused"):
            parse(data, name=f"{kind}.xml")


def test_a_missing_file_is_reported_by_name(tmp_path):
    with pytest.raises(FormatError, match=r"^nothing\.xml: cannot be read"):
        read_bytes(tmp_path / "nothing.xml")


def test_a_file_just_under_the_limit_is_read(tmp_path):
    path = tmp_path / "ok.xml"
    path.write_bytes(composed.vef())
    assert parse_vef(read_bytes(path), name="ok.xml").vef is not None


def test_blank_space_before_the_declaration_is_tolerated_with_a_warning():
    result = parse_vef(b"\n  " + composed.vef(), name="v.xml")
    assert result.vef is not None
    assert any("blank space before the XML declaration" in w for w in result.report.warnings)


def test_latin1_declared_file_is_read_with_a_warning():
    data = composed.vef(lastname="Müller").decode().replace("UTF-8", "ISO-8859-1")
    result = parse_vef(data.encode("latin-1"), name="v.xml")
    assert result.vef is not None and result.vef.lastname == "Müller"
    assert any("ISO-8859-1" in w and "UTF-8" in w for w in result.report.warnings)

"""Shared pieces of the readers and writers: hardened XML loading, problem reporting, value
parsing with warnings, and the strict writer's text rules.

Pure Python (no Django): files arrive by e-mail from partners and from PLATO, so parsing refuses
anything that could make the parser do more than read a flat document: a DOCTYPE (and so every
entity declaration, internal or external: the "billion laughs" and XXE), files over the size
limit, and documents whose root is not the one expected.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

# Building and serialising with the standard library is safe; only parsing is not, and every
# parse goes through defusedxml below.
from xml.etree.ElementTree import Element, SubElement, indent, tostring  # noqa: S405

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

# A partner's whole season is a few hundred kilobytes; 10 MB leaves room for PLATO's GetAllProjects
# answer (every partner's projects) while keeping a hostile file from filling the memory.
MAX_BYTES = 10 * 1024 * 1024


class FormatError(Exception):
    """The file cannot be read at all (not XML, refused construct, too large, wrong root).

    `problems` lists every reason, each naming the file (and the element when there is one).
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Report:
    """Warnings and errors collected while reading one file."""

    file: str
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def _line(self, where: str, element: str, message: str) -> str:
        place = f"{where} " if where else ""
        tag = f"<{element}>: " if element else ""
        return f"{self.file}: {place}{tag}{message}"

    def warn(self, where: str, element: str, message: str) -> None:
        line = self._line(where, element, message)
        if line not in self.warnings:
            self.warnings.append(line)

    def error(self, where: str, element: str, message: str) -> None:
        line = self._line(where, element, message)
        if line not in self.errors:
            self.errors.append(line)


# --- loading -----------------------------------------------------------------------------------


def read_bytes(path: str | Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, refusing it before reading when it is larger than `max_bytes`."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FormatError([f"{name}: cannot be read ({exc.strerror or exc})."]) from None
    if size > max_bytes:
        raise FormatError([_too_large(name, size, max_bytes)])
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise FormatError([f"{name}: cannot be read ({exc.strerror or exc})."]) from None
    if len(data) > max_bytes:  # grew while we looked
        raise FormatError([_too_large(name, len(data), max_bytes)])
    return data


def _too_large(name: str, size: int, max_bytes: int) -> str:
    return (f"{name}: the file is {size / 1048576:.1f} MB; files over "
            f"{max_bytes / 1048576:.0f} MB are refused.")


def local_name(tag: object) -> str:
    """`{namespace}name` -> `name`; comments and processing instructions have no name."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def load_xml(
    data: bytes, *, name: str, roots: Iterable[str], report: Report | None = None,
    max_bytes: int = MAX_BYTES,
) -> Element:
    """Parse `data` (the file called `name`) and return its root, which must be one of `roots`.

    Raises FormatError for: a file over `max_bytes`, an empty file, something that is not XML, a
    DOCTYPE or entity declaration, or another root element.
    """
    expected = list(roots)
    if len(data) > max_bytes:
        raise FormatError([_too_large(name, len(data), max_bytes)])
    stripped = data.lstrip(b"\xef\xbb\xbf").lstrip()
    if not stripped:
        raise FormatError([f"{name}: the file is empty, not XML."])
    if stripped != data.lstrip(b"\xef\xbb\xbf") and report is not None:
        report.warn("", "", "blank space before the XML declaration ignored.")
    match = re.match(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']", stripped)
    declared = match.group(1).decode("ascii").lower().replace("_", "-") if match else "utf-8"
    if declared not in {"utf-8", "utf8"} and report is not None and match:
        report.warn("", "", f"declared encoding {match.group(1).decode('ascii')} "
                                "read as declared (the handbook requires UTF-8).")
    try:
        root = fromstring(stripped, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FormatError([
            f"{name}: refused: the document declares a DOCTYPE or entities (entity expansion "
            "and external references are not allowed in exchange files)."
        ]) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":")[0]
        raise FormatError([
            f"{name}: not XML ({reason}, line {line}, column {column + 1})."
        ]) from None
    except (ValueError, LookupError) as exc:  # e.g. an unknown declared encoding
        raise FormatError([f"{name}: not XML ({exc}).".replace("..", ".")]) from None
    root_name = local_name(root.tag)
    if root_name not in expected:
        wanted = " or ".join(f"<{r}>" for r in expected)
        raise FormatError([
            f"{name}: <{root_name}>: wrong root element; expected {wanted}."
        ])
    return root


# --- finding elements ----------------------------------------------------------------------------


class Fields:
    """The child elements of a flat record, found by name case-insensitively, with aliases.

    Producers spell tags differently (`Organization_code`, `pef_send_by`, `station`): each
    canonical name lists its tolerated variants, and reading a variant adds a warning.
    """

    def __init__(self, element: Element, report: Report, where: str = "") -> None:
        self.element = element
        self.report = report
        self.where = where
        self.children: dict[str, list[Element]] = {}
        for child in element:
            tag = local_name(child.tag)
            if tag:
                self.children.setdefault(tag.lower(), []).append(child)
        self.used: set[str] = set()

    def names(self) -> list[str]:
        return list(self.children)

    def has(self, name: str, *aliases: str) -> bool:
        return any(n.lower() in self.children for n in (name, *aliases))

    def element_of(self, name: str) -> Element | None:
        found = self.children.get(name.lower())
        return found[0] if found else None

    def raw(self, name: str, *aliases: str) -> str | None:
        """The text of `name` (or of its first present alias, with a warning); None if absent.

        The canonical tag wins when both are present. Exact-case matches are silent; another
        case (`Organization_code`) is read with a warning.
        """
        for candidate in (name, *aliases):
            found = self.children.get(candidate.lower())
            if not found:
                continue
            self.used.add(candidate.lower())
            element = found[0]
            actual = local_name(element.tag)
            if candidate != name:
                self.report.warn(self.where, actual, f"read as <{name}> (tag name variant).")
            elif actual != name:
                self.report.warn(self.where, actual, f"read as <{name}> (tag name case).")
            if len(found) > 1:
                self.report.warn(self.where, actual, "repeated; the first one is read.")
            return element.text or ""
        return None


# --- values --------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\s*[\r\n\t]+\s*")
_SMART = {"\x91": "'", "\x92": "'", "\x93": '"', "\x94": '"'}
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,8});")


def read_text(value: str | None, report: Report, where: str, element: str) -> str:
    """Text as the strict writer would write it: one line, entities decoded, smart quotes mapped.

    Real files carry multi-line text (PLATO), doubly escaped HTML entities (`&amp;Atilde;`) and
    cp1252 quotes; each is repaired with a warning, so that a re-import of our own export (which
    is already one line) finds the same value and changes nothing.
    """
    if value is None:
        return ""
    text = value
    if _ENTITY.search(text):
        decoded = html.unescape(text)
        if decoded != text:
            report.warn(where, element, "HTML entities decoded (doubly escaped text).")
            text = decoded
    if any(ch in text for ch in _SMART):
        report.warn(where, element, "cp1252 quotation marks (U+0091-U+0094) replaced.")
        for bad, good in _SMART.items():
            text = text.replace(bad, good)
    text = text.strip()
    if _LINE_BREAKS.search(text):
        report.warn(where, element, "line breaks or tabs in text joined into one line.")
        text = _LINE_BREAKS.sub(" ", text)
    if _CONTROL.search(text):
        report.warn(where, element, "control characters removed.")
        text = _CONTROL.sub("", text)
    return text


def one_line(value: str) -> str:
    """The writer's text rule: no CR/LF/TAB (handbook 2.3.1), no control characters."""
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", value or "")).strip()


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def read_date(
    value: str | None, report: Report, where: str, element: str, *, required: bool = False
) -> date | None:
    text = (value or "").strip()
    if not text:
        if required:
            report.error(where, element, "missing date (YYYY-MM-DD)." if value is None
                         else "empty; a date (YYYY-MM-DD) is required.")
        return None
    match = _ISO_DATE.match(text)
    day: date | None = None
    if match:
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            day = None
    if day is None:
        message = f"“{text}” is not a date (YYYY-MM-DD)."
        if required:
            report.error(where, element, message)
        else:
            report.warn(where, element, message + " Ignored.")
        return None
    if len(text) > 10:
        report.warn(where, element, f"“{text}” read as {day.isoformat()} (extra text after "
                                    "the date).")
    return day


_TRUE = {"1", "true", "yes", "on", "y"}
_FALSE = {"0", "false", "no", "off", "n"}


def read_bool(value: str | None, report: Report, where: str, element: str) -> bool:
    """Booleans are `1`/`0`; `true`/`false` (PLATO's xs:boolean) are read silently. Empty and
    other values (`ss` has been seen) are read as false with a warning, as Volant does."""
    if value is None:
        return False
    text = value.strip().lower()
    if text in {"1", "true"}:
        return True
    if text in {"0", "false"}:
        return False
    if not text:
        report.warn(where, element, "empty boolean read as 0 (no).")
        return False
    if text in _TRUE:
        report.warn(where, element, f"“{value.strip()}” read as 1 (yes).")
        return True
    if text in _FALSE:
        report.warn(where, element, f"“{value.strip()}” read as 0 (no).")
        return False
    report.warn(where, element, f"“{value.strip()}” is not a boolean; read as 0 (no).")
    return False


def read_int(
    value: str | None, report: Report, where: str, element: str, *, required: bool = False,
    minimum: int = 0,
) -> int | None:
    text = (value or "").strip()
    if not text:
        if required:
            report.error(where, element, "missing number." if value is None
                         else "empty; a number is required.")
        return None
    number: int | None = None
    if re.fullmatch(r"[+-]?\d+", text):
        number = int(text)
    else:
        decimal = _decimal(text)
        if decimal is not None and decimal == decimal.to_integral_value():
            number = int(decimal)
            report.warn(where, element, f"“{text}” read as {number}.")
    if number is None:
        message = f"“{text}” is not a whole number."
        if required:
            report.error(where, element, message)
        else:
            report.warn(where, element, message + " Ignored.")
        return None
    if number < minimum:
        message = f"{number} is below {minimum}."
        if required:
            report.error(where, element, message)
        else:
            report.warn(where, element, message + " Ignored.")
        return None
    return number


def _decimal(text: str) -> Decimal | None:
    candidate = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    try:
        number = Decimal(candidate)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def read_decimal(value: str | None, report: Report, where: str, element: str) -> Decimal | None:
    """Amounts: `200`, `200.00` as they are; `.00` and `200,00` with a warning."""
    text = (value or "").strip()
    if not text:
        return None
    number = _decimal(text)
    if number is None:
        report.warn(where, element, f"“{text}” is not a number. Ignored.")
        return None
    if text.startswith(".") or "," in text:
        report.warn(where, element, f"“{text}” read as {normal_decimal(number)}.")
    return Decimal(normal_decimal(number))


def normal_decimal(number: Decimal) -> str:
    """`200.00` -> `200`, `12.50` -> `12.5`: one spelling per amount, so round trips compare."""
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def read_float(value: str | None, report: Report, where: str, element: str) -> float | None:
    """Coordinates; `0` and empty mean unknown."""
    text = (value or "").strip()
    if not text:
        return None
    number = _decimal(text)
    if number is None:
        report.warn(where, element, f"“{text}” is not a number. Ignored.")
        return None
    if number == 0:
        return None
    return float(number)


def split_list(
    value: str | None, report: Report, where: str, element: str, *, separators: str = ","
) -> list[str]:
    """Comma lists: blank items (`CULT,`) and repeats (`eng,eng`) are dropped with a warning."""
    text = (value or "").strip()
    if not text:
        return []
    odd = sorted({ch for ch in separators if ch in "/-;" and ch in text})
    if odd:
        report.warn(where, element, f"“{text}”: {' '.join(odd)} read as list separator (the "
                                    "handbook uses commas).")
    parts = re.split("[" + re.escape(separators) + "]", text)
    items = [p.strip() for p in parts]
    if any(not item for item in items):
        report.warn(where, element, f"“{text}”: empty list item(s) ignored (trailing or doubled "
                                    "comma).")
    result: list[str] = []
    seen: set[str] = set()
    for item in items:
        if not item:
            continue
        if item.lower() in seen:
            report.warn(where, element, f"“{text}”: “{item}” repeated; kept once.")
            continue
        seen.add(item.lower())
        result.append(item)
    return result


# --- writing -------------------------------------------------------------------------------------


class Writer:
    """Builds a flat document; every value goes through one formatting rule per type."""

    def __init__(self, root: str) -> None:
        self.root = Element(root)

    @staticmethod
    def add(parent: Element, name: str, value: object) -> Element:
        child = SubElement(parent, name)
        child.text = format_value(value)
        return child

    def to_bytes(self) -> bytes:
        indent(self.root, space="  ")
        body = tostring(self.root, encoding="unicode", short_empty_elements=False)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def format_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return normal_decimal(value)
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    if isinstance(value, list | tuple):
        return ",".join(format_value(v) for v in value)
    return one_line(str(value))


def safe_file_part(value: str) -> str:
    """A piece of a handbook file name: spaces trimmed, nothing a file system would refuse."""
    return re.sub(r"[^0-9A-Za-z._-]", "", value.replace(" ", ""))


def iter_named(element: Element, name: str) -> Iterator[Element]:
    for child in element:
        if local_name(child.tag).lower() == name:
            yield child

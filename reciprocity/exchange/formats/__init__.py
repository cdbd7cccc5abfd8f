"""Readers and writers of the work-camp exchange files (docs/exchange.md): VEF, PEF, FPL.

Pure Python over plain dataclasses, no Django: import leniently (every deviation seen in real
files is read with a warning naming the file and element), export strictly (UTF-8, ISO dates,
booleans 1/0, ISO 3166 alpha-3 countries, ISO 639-2 languages, one-line text).

    result = parse_pef(data, name="PEF_XYZ_20250201.xml")   # FormatError if unreadable
    result.report.errors, result.report.warnings, result.forms
    write_pef(form) -> bytes
"""

from .base import MAX_BYTES, FormatError, Report, read_bytes
from .fpl import FplDocument, FplHeader, FplProject, FplResult, fpl_file_name, parse_fpl, write_fpl
from .pef import (
    PefForm,
    PefHeader,
    PefProject,
    PefResult,
    parse_pef,
    pef_file_name,
    project_id_for,
    write_pef,
)
from .vef import Vef, VefLanguage, VefResult, parse_vef, vef_file_name, write_vef

__all__ = [
    "MAX_BYTES", "FormatError", "FplDocument", "FplHeader", "FplProject", "FplResult",
    "PefForm", "PefHeader", "PefProject", "PefResult", "Report", "Vef", "VefLanguage",
    "VefResult", "fpl_file_name", "parse_fpl", "parse_pef", "parse_vef", "pef_file_name",
    "project_id_for", "read_bytes", "vef_file_name", "write_fpl", "write_pef", "write_vef",
]

"""The annual report for one reader, and its PDF, made on a worker when there is one.

The figures are the cached report of `views._annual` (per reader's scope); the PDF costs
WeasyPrint's rendering on top, about a second, which a web worker should not spend while others
wait. With a Celery worker (`REDIS_URL`), asking the page for the PDF starts a job: a random
token whose state (queued, running, done or failed, a percentage, the stored file) is kept in the
shared cache for an hour, only for the reader who asked; the file goes to the storage backend
(local folder or bucket), so any web machine can serve it. Without a worker (`make run`), the
PDF is made in the request as before.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reciprocity.accounts.selectors import AnyUser
from reciprocity.balance import charts, disclosure
from reciprocity.balance.annual import annual_breakdown, annual_report_with_outcomes
from reciprocity.balance.labels import country_label, visa_headings, visa_row_names
from reciprocity.balance.visa_selectors import VisaTable, visa_table

JOB_SECONDS = 3600


def in_background() -> bool:
    """PDFs on a worker: by default when tasks go to one (not run eagerly in the process)."""
    value = getattr(settings, "REPORT_PDF_IN_BACKGROUND", None)
    return (not settings.CELERY_TASK_ALWAYS_EAGER) if value is None else bool(value)


def annual_report_for(user: AnyUser, args: dict[str, Any]) -> dict[str, Any]:
    """The report as `user` may see it (exact figures, or small counts withheld)."""
    report, outcomes = annual_report_with_outcomes(**args)
    breakdown = annual_breakdown(**args)
    report["breakdown"] = {
        side: [(code, country_label(code), n) for code, n in rows]
        for side, rows in breakdown.items()
    }
    if disclosure.sees_exact_figures(user):
        report["suppressed"] = []
    else:
        report = disclosure.annual(
            report, per_country={side: dict(rows) for side, rows in breakdown.items()},
            **outcomes)
    report["chart"] = [[disclosure.for_chart(v) for v in row] for row in report["breakdown"]["hosted"]]
    return report


def annual_visas_for(user: AnyUser, args: dict[str, Any]) -> VisaTable:
    """The report's visa figures as `user` may see them: read when a file is made, not cached
    with the report's figures (a recorded visa outcome does not bump the balance's cache)."""
    return visa_table(user=user, year=args["year"], host_country=args["host_country"],
                      scheme=args["scheme"] or None)


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def pdf_filename(report: dict[str, Any]) -> str:
    return f"annual-report-{report['host_country']}-{report['year']}.pdf"


def annual_pdf(report: dict[str, Any], visa: VisaTable | None = None) -> bytes:
    from weasyprint import HTML

    # A withheld figure is not drawn (its row in the table says "< 3" or "withheld").
    hosted = [row for row in report["breakdown"]["hosted"] if not disclosure.is_withheld(row[2])][:15]
    sent = [row for row in report["breakdown"]["sent"] if not disclosure.is_withheld(row[2])][:15]
    figures = {}
    if hosted:
        figures["hosted"] = _svg_uri(charts.bars_svg(
            [name for _c, name, _n in hosted], [n for _c, _name, n in hosted],
            title=_("Volunteers hosted, by origin")))
    if sent:
        figures["sent"] = _svg_uri(charts.bars_svg(
            [name for _c, name, _n in sent], [n for _c, _name, n in sent],
            title=_("Volunteers sent, by destination")))
    visa = visa or VisaTable()
    html = render_to_string("balance/annual_pdf.html", {
        "report": report, "figures": figures, "visa": visa, "visa_headings": visa_headings(),
        "visa_rows": [(*visa_row_names(row), row) for row in visa.rows],
        "small": disclosure.SMALL, "secondary": disclosure.SECONDARY})
    return bytes(HTML(string=html).write_pdf())


# --- background jobs ----------------------------------------------------------------------------


def _key(token: str) -> str:
    return f"balance:pdf:{token}"


def job_get(token: str) -> dict[str, Any] | None:
    job = cache.get(_key(token))
    return job if isinstance(job, dict) else None


def job_update(token: str, **changes: Any) -> None:
    job = job_get(token)
    if job is not None:
        cache.set(_key(token), {**job, **changes}, JOB_SECONDS)


def job_start(*, user: AnyUser, args: dict[str, Any], language: str) -> str:
    """Queue the PDF of this report for `user`; the task starts once the request commits."""
    from reciprocity.balance.tasks import annual_pdf_render

    token = secrets.token_urlsafe(24)
    cache.set(_key(token), {"user_id": user.pk, "args": args, "language": language,
                            "status": "queued", "progress": 0, "path": "", "filename": "",
                            "error": ""}, JOB_SECONDS)
    transaction.on_commit(lambda: annual_pdf_render.delay(token))
    return token

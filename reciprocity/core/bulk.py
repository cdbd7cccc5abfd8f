"""Bulk actions: one use-case applied to many items, each on its own (docs/exports-and-calendars.md).

Every item goes through the same service, with the same permission checks, as when it is done
one at a time, and in its own transaction (the service's `transaction.atomic`; the request has
none around it): a refusal or a database error on one item rolls back that item only, is
reported on its line, and neither hides nor undoes the others. Ids the reader may not see are
reported as not found, like a 404 one at a time.
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import DatabaseError
from django.utils.translation import gettext as _
from ninja import Schema

from reciprocity.core.bounds import id_from
from reciprocity.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# One form posts at most a page of items; more is refused rather than run for minutes.
MAX_BULK_ITEMS = 200


@dataclass(frozen=True)
class ItemResult:
    label: str
    ok: bool
    message: str
    link: str = ""
    pk: int = 0
    # The refusal's code (ApplicationError.code), for API clients; "" when done.
    code: str = ""


def ids_from(raw: Sequence[str]) -> list[int]:
    """The posted ids, valid and each once, in the order given (at most MAX_BULK_ITEMS)."""
    seen: dict[int, None] = {}
    for value in raw:
        pk = id_from(value)
        if pk is not None:
            seen[pk] = None
    return list(seen)[:MAX_BULK_ITEMS]


def run_each(
    ids: Sequence[int], found: dict[int, T], *, act: Callable[[T], str],
    label: Callable[[T], str], link: Callable[[T], str] = lambda _item: "",
) -> list[ItemResult]:
    """`act(item)` for each id, in order; its return value is the line's success message."""
    results = []
    for pk in ids:
        item = found.get(pk)
        if item is None:
            results.append(ItemResult(f"#{pk}", False, _("Not found, or not yours to see."),
                                      pk=pk, code="not_found"))
            continue
        try:
            message = act(item)
        except ApplicationError as exc:
            results.append(ItemResult(label(item), False, str(exc.message), link(item), pk=pk,
                                      code=exc.code))
        except DatabaseError:
            logger.exception("bulk action failed on item %s", pk)
            results.append(ItemResult(label(item), False,
                                      _("Could not be saved; nothing was changed on this line."),
                                      link(item), pk=pk, code="database_error"))
        else:
            results.append(ItemResult(label(item), True, message, link(item), pk=pk))
    return results


class ItemResultOut(Schema):
    id: int
    ok: bool
    code: str = ""
    message: str


class BulkResultOut(Schema):
    """One line per id sent, in the order sent; `done` + `failed` = the number of ids."""

    done: int
    failed: int
    results: list[ItemResultOut]


def bulk_out(results: Sequence[ItemResult]) -> dict[str, object]:
    done, failed = summary_counts(results)
    return {"done": done, "failed": failed, "results": [
        {"id": r.pk, "ok": r.ok, "code": r.code, "message": r.message} for r in results]}


def summary_counts(results: Iterable[ItemResult]) -> tuple[int, int]:
    done = failed = 0
    for result in results:
        done, failed = (done + 1, failed) if result.ok else (done, failed + 1)
    return done, failed

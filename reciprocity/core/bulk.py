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
            results.append(ItemResult(f"#{pk}", False, _("Not found, or not yours to see.")))
            continue
        try:
            message = act(item)
        except ApplicationError as exc:
            results.append(ItemResult(label(item), False, str(exc.message), link(item)))
        except DatabaseError:
            logger.exception("bulk action failed on item %s", pk)
            results.append(ItemResult(label(item), False,
                                      _("Could not be saved; nothing was changed on this line."),
                                      link(item)))
        else:
            results.append(ItemResult(label(item), True, message, link(item)))
    return results


def summary_counts(results: Iterable[ItemResult]) -> tuple[int, int]:
    done = failed = 0
    for result in results:
        done, failed = (done + 1, failed) if result.ok else (done, failed + 1)
    return done, failed

"""`/api/v1/`: the API for partner systems (django-ninja, OpenAPI 3.1, offline docs)."""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from reciprocity.agreements.apis import programmes as programmes_router
from reciprocity.agreements.apis import router as agreements_router
from reciprocity.applications.apis import router as applications_router
from reciprocity.applications.offer_apis import router as offers_router
from reciprocity.applications.offer_apis import waiting_lists as waiting_lists_router
from reciprocity.balance.apis import router as balance_router
from reciprocity.conversations.apis import router as conversations_router
from reciprocity.core.api_errors import document_common_errors, install_error_handlers
from reciprocity.core.api_types import document_optional_bodies
from reciprocity.core.throttling import api_throttles, document_rate_limits
from reciprocity.exchange.apis import router as exchange_router
from reciprocity.home.apis import router as decisions_router
from reciprocity.matching.apis import router as matching_router
from reciprocity.matching.pairing_apis import router as pairing_router
from reciprocity.missions.apis import router as missions_router
from reciprocity.notifications.apis import router as notifications_router
from reciprocity.partners.apis import router as partners_router
from reciprocity.placements.apis import router as placements_router
from reciprocity.placements.signature_apis import router as signatures_router
from reciprocity.planning.apis import router as planning_router
from reciprocity.procedures.apis import router as procedures_router
from reciprocity.procedures.bulk_apis import router as procedures_bulk_router

# The operations that drive a workflow use-case (apply, accept, withdraw, decline an offer, ...)
# are the workflow's faces: importing them adds them to the apps' routers above, at their paths
# and with their operation ids (workflow/apis.py, ADR 0005 "faces").
from reciprocity.workflow import apis as workflow_apis  # noqa: F401


class ReciprocityAPI(NinjaAPI):
    """The schema also says that every operation may answer 429 (the rate limits), and the
    errors any operation may give (core.api_errors.document_common_errors)."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        document_rate_limits(schema)
        document_common_errors(schema)
        document_optional_bodies(schema)
        return schema


api = ReciprocityAPI(
    title="Reciprocity API",
    version="1.0.0",
    description="Reciprocal international volunteering: organisations, missions and more. "
    "Authenticate with `Authorization: Bearer <token>` or a browser session.",
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    # Per token and per client address (settings API_RATE_LIMIT_PER_*): 429 with Retry-After.
    throttle=api_throttles(),
)
install_error_handlers(api)
api.add_router("/organisations", partners_router)
api.add_router("/agreements", agreements_router)
api.add_router("/programmes", programmes_router)
api.add_router("/missions", missions_router)
api.add_router("/applications", applications_router)
# Offers of a place and the hosts' waiting lists (applications/offer_apis.py).
api.add_router("/applications", waiting_lists_router)
api.add_router("/offers", offers_router)
api.add_router("/placements", placements_router)
# Contracts and agreements signed in the platform (placements/signature_apis.py).
api.add_router("/placements", signatures_router)
api.add_router("/procedures", procedures_router)
# Bulk decisions on choices (home/apis.py) and bulk moves of steps (procedures/bulk_apis.py),
# docs/exports-and-calendars.md.
api.add_router("/decisions", decisions_router)
api.add_router("/procedures", procedures_bulk_router)
api.add_router("/balance", balance_router)
# Quota scenarios: next year's quotas tried out and applied (docs/scenarios.md).
api.add_router("/planning", planning_router)
api.add_router("/notifications", notifications_router)
api.add_router("/matching", matching_router)
# Pairing runs (binômes) share the prefix: /matching/pairing-runs.
api.add_router("/matching", pairing_router)
api.add_router("/exchange", exchange_router)
api.add_router("/threads", conversations_router)

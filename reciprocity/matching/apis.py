from ninja import Router

from reciprocity.core.api_auth import SIGNED_IN

router = Router(tags=["matching"], auth=SIGNED_IN)

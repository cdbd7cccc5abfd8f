from ninja import Router

from reciprocity.core.api_auth import SIGNED_IN

router = Router(tags=["procedures"], auth=SIGNED_IN)

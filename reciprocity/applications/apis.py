from ninja import Router

from reciprocity.core.api_auth import SIGNED_IN

router = Router(tags=["applications"], auth=SIGNED_IN)

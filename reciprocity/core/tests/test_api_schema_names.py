"""Two API schemas with one class name publish one OpenAPI component: ninja keeps one of them
and the other operation's documentation silently describes the wrong object (it happened to
/api/v1/balance/network when the pairing runs brought a second `PairOut`)."""

import json
import re
from collections import Counter

from ninja import Schema

from reciprocity.api import api


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_schema_the_api_publishes_has_a_name_of_its_own():
    schema = api.get_openapi_schema()
    published = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(schema)))
    ours = [c for c in _subclasses(Schema)
            if c.__module__.startswith("reciprocity.") and ".tests" not in c.__module__]
    names = Counter(c.__name__ for c in ours)

    assert sorted(n for n, count in names.items() if count > 1 and n in published) == []


def test_the_published_schema_has_no_key_twice():
    # {200: ...} from ninja and {"200": ...} from an openapi_extra are two dict keys but one JSON
    # key written twice: Swagger UI's parser refused the whole document (YAMLException), so the
    # API docs page showed nothing.
    from django.test import Client

    repeated: list[str] = []

    def pairs_hook(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [key for key, _value in pairs]
        repeated.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    response = Client().get("/api/v1/openapi.json")
    json.loads(response.content, object_pairs_hook=pairs_hook)

    assert repeated == []

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_catalogue_is_public(client):
    response = client.get(reverse("missions:list"))
    assert response.status_code == 200

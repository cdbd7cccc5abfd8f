from reciprocity.applications.tests.conftest import Network, network  # noqa: F401

"""The demo's tests log in as demo patients at Min side."""

from tests.patients.conftest import citizen_client, testid  # noqa: F401 – Min side's login fixtures

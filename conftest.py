import pytest

from dangbo.testing import PASSWORD, build_cast


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in as ``user`` and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    """Uploaded files (member photos) go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")

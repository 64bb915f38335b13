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
def _immediate_tasks(settings):
    """Background tasks (django-tasks) run at once, inside the test, instead of waiting for `db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    """Uploaded files (member photos) go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


def pytest_configure(config):
    """Tests hash passwords with a fast hasher: PBKDF2's deliberate slowness, once per cast user, would
    dominate the suite's time. Production keeps Django's default hashers (settings.py)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

"""The deployment files stay in step with the code."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _names_read(path, pattern):
    return set(re.findall(pattern, path.read_text(encoding="utf-8")))


def test_env_example_names_every_setting_read_from_the_environment():
    read = _names_read(ROOT / "dangbo/settings.py", r'env(?:iron\.get|_bool)\(\s*"([A-Z0-9_]+)"')
    read |= {"DATABASE_URL"}  # dj_database_url.config()
    read |= _names_read(ROOT / "deploy/gunicorn.conf.py", r'os\.environ\.get\(\s*"([A-Z0-9_]+)"')
    named = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M))
    assert read - named == set(), f"add to .env.example: {sorted(read - named)}"


def test_the_systemd_units_start_what_exists():
    units = ROOT / "deploy/systemd"
    web = (units / "dangbo-web.service").read_text()
    assert "gunicorn --config deploy/gunicorn.conf.py" in web and (ROOT / "deploy/gunicorn.conf.py").exists()
    assert "manage.py worker" in (units / "dangbo-worker.service").read_text()
    assert "manage.py daily" in (units / "dangbo-daily.service").read_text()
    assert "OnCalendar=" in (units / "dangbo-daily.timer").read_text()
    assert "manage.py backup" in (units / "dangbo-backup.service").read_text()
    from django.core.management import get_commands

    for name in ("worker", "daily", "backup", "restore"):
        assert get_commands()[name] == "dangbo.core"

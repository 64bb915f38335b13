"""Logging helpers: JSON lines (``LOG_FORMAT=json``) and the optional Sentry hook.

Imported from settings.py, so nothing here may import Django models.
"""

import datetime
import json
import logging

# Attributes every LogRecord has; anything else was passed with ``extra=`` and goes into the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and every ``extra`` field."""

    def format(self, record):
        data = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def init_sentry(dsn, *, environment="production"):
    """Send errors to Sentry when sentry-sdk is installed (it is optional: ``pip install sentry-sdk``).

    Returns True when Sentry was set up. Personal data is not sent (``send_default_pii=False``).
    """
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        logging.getLogger("dangbo.ops").warning("SENTRY_DSN is set but sentry-sdk is not installed")
        return False
    sentry_sdk.init(dsn=dsn, environment=environment, integrations=[DjangoIntegration()], send_default_pii=False)
    return True

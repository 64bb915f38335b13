"""The product's settings plus django.contrib.admin, for the benchmark's admin column only.

The product does not install the admin; ``bench/run.py`` and ``bench/build_scale.py`` use this
module (DJANGO_SETTINGS_MODULE=bench.settings) so that the stock changelist can be measured
against the same database. Auth, contenttypes, sessions and messages (apps, middleware and
context processors) are already in the product's settings.
"""

from dangbo.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.admin"]  # noqa: F405

# Measure as in production: no query log on every cursor (DEBUG=True keeps each SQL string in
# connection.queries, which costs time on every query and memory during a 1M-row build). The
# settings above that depend on DEBUG were already decided when dangbo.settings was imported.
DEBUG = False

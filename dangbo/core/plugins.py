"""Optional per-app modules, found by name in every installed ``dangbo.*`` app, in INSTALLED_APPS order.

Apps plug into shared pages this way instead of editing them:

- ``<app>/panels.py``: ``home_panels(request) -> list[dict]``, cards on the home page (each dict names
  its ``template``; the rest is its context, given to the template as ``panel``).
- ``<app>/figures.py``: ``period_figures(unit, start, end) -> list[core.figures.Figure]``, the app's
  figures for a unit's subtree over a period (periodic reports, the bloc's summary report).
- ``<app>/demo.py``: ``build(builder)``, the app's demo data (``load_demo``).
"""

import importlib

from django.apps import apps


def app_modules(name):
    """The ``<app>.<name>`` modules that exist, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("dangbo."):
            continue
        module_name = f"{config.name}.{name}"
        try:
            found.append(importlib.import_module(module_name))
        except ModuleNotFoundError as e:
            if e.name != module_name:  # a missing import inside the module is a real error
                raise
    return found

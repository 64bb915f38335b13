"""Static files from node_modules: only the built assets the pages use, under /static/vendor/.

The packages come from package-lock.json (never copied into the repository). Serving node_modules
whole (a STATICFILES_DIRS entry) would publish every file of every package and of their
dependencies (package.json, sources, tests, READMEs) and have collectstatic copy them all; this
finder knows the explicit list below and nothing else. The URLs stay those of the templates:
``{% static 'vendor/bootstrap/dist/css/bootstrap.min.css' %}``.
"""

import os

from django.conf import settings
from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder, searched_locations
from django.core.checks import Warning
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor"

# Paths inside node_modules. The .map files are named by the assets' sourceMappingURL comments
# (the manifest storage of collectstatic follows them); the fonts by bootstrap-icons.min.css.
FILES = (
    "bootstrap/dist/css/bootstrap.min.css",
    "bootstrap/dist/css/bootstrap.min.css.map",
    "bootstrap/dist/js/bootstrap.bundle.min.js",
    "bootstrap/dist/js/bootstrap.bundle.min.js.map",
    "bootstrap-icons/font/bootstrap-icons.min.css",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff2",
    "chart.js/dist/chart.umd.js",
    "chart.js/dist/chart.umd.js.map",
    "htmx.org/dist/htmx.min.js",
)


class VendorFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.root = str(settings.BASE_DIR / "node_modules")
        self.storage = FileSystemStorage(location=self.root)
        self.storage.prefix = PREFIX  # collectstatic puts the files under vendor/

    def _available(self):
        return [p for p in FILES if os.path.isfile(os.path.join(self.root, p))]

    def check(self, **kwargs):
        if not os.path.isdir(self.root):
            return []  # no front-end assets installed (e.g. a test-only checkout): nothing to serve
        return [
            Warning(
                f"node_modules has no {p}: run `npm ci`, or update dangbo/core/staticfinders.FILES.",
                id="dangbo.W010",
            )
            for p in FILES
            if p not in self._available()
        ]

    # RemovedInDjango61Warning: the ``all`` keyword of older callers goes through kwargs.
    def find(self, path, find_all=False, **kwargs):
        if kwargs:
            find_all = self._check_deprecated_find_param(find_all=find_all, **kwargs)
        if self.root not in searched_locations:
            searched_locations.append(self.root)
        match = None
        name = path.removeprefix(PREFIX + "/") if path.startswith(PREFIX + "/") else None
        if name in FILES and os.path.isfile(os.path.join(self.root, name)):
            match = os.path.join(self.root, name)
        if match and not find_all:
            return match
        return [match] if match else []  # as Django's finders: an empty list when nothing matches

    def list(self, ignore_patterns):
        for path in self._available():
            if not utils.matches_patterns(path, ignore_patterns or []):
                yield path, self.storage

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "dangbo.programmes"
    verbose_name = _("Implementation of resolutions and contests")

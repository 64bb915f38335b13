from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StattablesConfig(AppConfig):
    name = "dangbo.stattables"
    verbose_name = _("Statistical tables")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "dangbo.lifecycle"
    verbose_name = _("Exemptions, exits, cards and badges")

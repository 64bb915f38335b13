from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "dangbo.study"
    verbose_name = _("Study of resolutions")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "dangbo.review"
    verbose_name = _("Annual review and quality classification")

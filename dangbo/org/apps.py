from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "dangbo.org"

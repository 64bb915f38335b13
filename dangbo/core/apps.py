from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangbo.core"

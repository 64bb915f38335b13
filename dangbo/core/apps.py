from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangbo.core"

    def ready(self):
        from dangbo.core import uploads  # noqa: F401  (sets Pillow's MAX_IMAGE_PIXELS)

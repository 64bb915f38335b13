from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangbo.core"

    def ready(self):
        from dangbo.core import bounds, uploads  # noqa: F401  (uploads sets Pillow's MAX_IMAGE_PIXELS)

        bounds.install()

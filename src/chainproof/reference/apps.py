from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "chainproof.reference"
    label = "reference"
    verbose_name = "Reference data"

    def ready(self) -> None:
        from chainproof.reference import jobs  # noqa: F401  (registers the update check)

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "chainproof.cases"
    label = "cases"
    verbose_name = "Shipments and detention cases"

    def ready(self) -> None:
        from chainproof.cases import jobs  # noqa: F401  (registers job handlers)

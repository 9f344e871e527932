from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "chainproof.risk"
    label = "risk"
    verbose_name = "Risk"

    def ready(self) -> None:
        from chainproof.risk import jobs  # noqa: F401  (registers job handlers)

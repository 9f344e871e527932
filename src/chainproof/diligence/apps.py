from django.apps import AppConfig


class DiligenceConfig(AppConfig):
    name = "chainproof.diligence"
    label = "diligence"
    verbose_name = "Due diligence"

    def ready(self) -> None:
        from chainproof.diligence import jobs  # noqa: F401  (registers job handlers)
        from chainproof.diligence.selectors import risk_signals
        from chainproof.risk.providers import SIGNAL_PROVIDERS

        if risk_signals not in SIGNAL_PROVIDERS:
            SIGNAL_PROVIDERS.append(risk_signals)

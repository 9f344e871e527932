from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "chainproof.screening"
    label = "screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from chainproof.risk.providers import HIT_PROVIDERS
        from chainproof.screening import jobs  # noqa: F401  (registers job handlers)
        from chainproof.screening.selectors import risk_hits

        if risk_hits not in HIT_PROVIDERS:
            HIT_PROVIDERS.append(risk_hits)

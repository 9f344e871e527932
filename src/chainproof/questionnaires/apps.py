from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "chainproof.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionnaires"

    def ready(self) -> None:
        from chainproof.questionnaires import jobs  # noqa: F401  (registers job handlers)
        from chainproof.questionnaires.selectors import risk_signals
        from chainproof.risk.providers import SIGNAL_PROVIDERS

        if risk_signals not in SIGNAL_PROVIDERS:
            SIGNAL_PROVIDERS.append(risk_signals)

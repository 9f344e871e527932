from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "chainproof.evidence"
    label = "evidence"
    verbose_name = "Evidence"

    def ready(self) -> None:
        from chainproof.evidence import jobs  # noqa: F401  (registers job handlers)

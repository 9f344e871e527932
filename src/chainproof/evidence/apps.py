from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "chainproof.evidence"
    label = "evidence"
    verbose_name = "Evidence"

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "chainproof.audit"
    label = "audit"
    verbose_name = "Audit trail"

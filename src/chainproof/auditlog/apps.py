from django.apps import AppConfig


class AuditLogConfig(AppConfig):
    name = "chainproof.auditlog"
    label = "auditlog"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from chainproof.auditlog import jobs  # noqa: F401  (registers the checkpoint job)

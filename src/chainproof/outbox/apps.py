from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "chainproof.outbox"
    label = "outbox"
    verbose_name = "Outbound email"

    def ready(self) -> None:
        from chainproof.accounts.mail import mail_queue_register
        from chainproof.outbox import jobs  # noqa: F401  (registers job handlers)
        from chainproof.outbox.services import email_queue

        mail_queue_register(email_queue)

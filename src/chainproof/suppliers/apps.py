from django.apps import AppConfig


class SuppliersConfig(AppConfig):
    name = "chainproof.suppliers"
    label = "suppliers"
    verbose_name = "Supply chain"

    def ready(self) -> None:
        from chainproof.suppliers import jobs  # noqa: F401  (registers job handlers)

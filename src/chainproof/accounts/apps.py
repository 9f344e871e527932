from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chainproof.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from chainproof.accounts import signals  # noqa: F401

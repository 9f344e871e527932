from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "chainproof.common"
    label = "common"
    verbose_name = "Shared helpers"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from chainproof.common.signals import clean_instance_text

        pre_save.connect(clean_instance_text, dispatch_uid="chainproof-visible-text")

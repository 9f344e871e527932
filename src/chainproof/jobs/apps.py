from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "chainproof.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from chainproof.jobs import uploads  # noqa: F401  (registers the retention job)

from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "chainproof.risk"
    label = "risk"
    verbose_name = "Risk"

    def ready(self) -> None:
        from chainproof.risk import jobs  # noqa: F401  (registers job handlers)
        from chainproof.risk.selectors import current_levels, node_ids_at_level
        from chainproof.suppliers.lookups import (
            register_current_risk_lookup,
            register_risk_level_lookup,
        )

        register_risk_level_lookup(node_ids_at_level)
        register_current_risk_lookup(current_levels)

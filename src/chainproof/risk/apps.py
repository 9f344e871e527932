from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "chainproof.risk"
    label = "risk"
    verbose_name = "Risk"

    def ready(self) -> None:
        from chainproof.risk import jobs  # noqa: F401  (registers job handlers)
        from chainproof.risk.map_scores import current_node_risks
        from chainproof.risk.selectors import node_ids_at_level
        from chainproof.suppliers.lookups import (
            register_risk_level_lookup,
            register_risk_scores_lookup,
        )

        register_risk_level_lookup(node_ids_at_level)
        register_risk_scores_lookup(current_node_risks)

"""FROZEN BASELINE: the chainproof-names v2 matcher, as it was at commit e3376cd."""

"""Explainable, versioned risk scoring and presumption checks (pure Python)."""

"""Frozen copies of earlier chainproof algorithms, scored beside the current ones."""

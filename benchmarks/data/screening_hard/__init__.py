"""The pairs of the hard screening evaluation set, one module per family of categories.

Built by benchmarks/data/build_screening_hard.py (which documents every category); nothing
here imports chainproof.
"""

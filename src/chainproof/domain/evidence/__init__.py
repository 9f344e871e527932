"""Evidence as the law and CBP describe it: categories, record types, and how current and
how strong a document is. Pure Python; the evidence app stores, the domain decides."""

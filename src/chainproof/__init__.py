"""chainproof: the system of record for proving imported goods are free of forced labor."""

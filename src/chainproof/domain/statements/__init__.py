"""Annual statements: the regimes' structure as data and the document every output is drawn from."""

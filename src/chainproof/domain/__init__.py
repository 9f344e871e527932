"""The domain core: pure Python, no Django. Unit-tested without a database."""

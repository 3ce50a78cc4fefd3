"""SQLAlchemy 2 async persistence: the only layer that knows SQL and its dialects."""

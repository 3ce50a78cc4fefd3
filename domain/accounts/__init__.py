"""Organizations, users, roles, credentials and tokens."""

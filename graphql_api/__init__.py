"""The GraphQL API: one typed schema, one folder per feature."""

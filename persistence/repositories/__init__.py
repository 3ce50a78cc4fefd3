"""Repositories map rows to domain objects; tenant scoping is applied here, once."""

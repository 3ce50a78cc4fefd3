"""Flows over GraphQL: design, validate, publish and dry-run automations."""

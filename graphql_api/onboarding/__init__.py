"""The guided onboarding over GraphQL."""

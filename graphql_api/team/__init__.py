"""Team invitations over GraphQL."""

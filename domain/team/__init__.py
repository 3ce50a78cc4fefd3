"""A team: inviting people into an organization."""

"""The guided onboarding: seven steps from nothing to a working automated number."""

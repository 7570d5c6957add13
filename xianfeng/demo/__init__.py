"""The demo school system: one tenant, three schools, one account per role."""

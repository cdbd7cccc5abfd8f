"""People who sign in: platform staff, members of organisations (with a role), volunteers; API tokens."""

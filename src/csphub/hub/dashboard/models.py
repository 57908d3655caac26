"""dashboard of the hub."""

"""committee of the hub."""

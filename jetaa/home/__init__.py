"""The personal home page and "My events"."""

"""Announcements: the branch newsletter, sent through the outbox in batches."""

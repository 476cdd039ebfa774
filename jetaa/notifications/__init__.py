"""Notification settings: which e-mails a person gets, and the one function that decides."""

"""Notifications: telling people, in the app and by email, when something needs them."""

"""Scheduled pulls of conversations from helpdesks (docs/helpdesk-imports.md)."""

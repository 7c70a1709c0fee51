"""Webhooks: telling the team's other systems, signed and with retries, when something happened."""

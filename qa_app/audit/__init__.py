"""The audit log: who did what to security settings and personal data, kept append-only."""

"""Disputes: an agent questions a submitted evaluation and someone else decides."""

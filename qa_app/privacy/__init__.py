"""Privacy: the audit log page, transcript retention, customer erasure, a person's data."""

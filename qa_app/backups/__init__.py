"""Backups: consistent copies of a live database, and restoring one."""

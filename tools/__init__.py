"""Developer tools that are not part of the application (run them from the repository root)."""

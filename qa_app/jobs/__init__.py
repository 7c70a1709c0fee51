"""Background jobs: long work run by a queue worker, with progress the user can follow."""

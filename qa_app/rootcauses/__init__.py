"""Root causes: the per-scorecard list of reasons a reviewer gives for a low score."""

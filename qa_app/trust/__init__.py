"""How far Auto QA can be trusted: its rules against the reviewers' scores."""

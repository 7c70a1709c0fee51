"""The scorecard editor: a draft's settings, sections and criteria, changed in place."""

"""The component page: every part of the design system on one page (docs/ui.md)."""

"""Presentation helpers: i18n catalogue, Finnish number formats, Altair charts, shared widgets."""

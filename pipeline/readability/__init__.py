"""Readability: reading age per leaflet, section and sentence, and what to change."""

"""NHS leaflet pipeline: one leaflet source, every language and format a patient asks for."""

__version__ = "0.1.0"

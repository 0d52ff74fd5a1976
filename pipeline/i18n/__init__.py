"""Translation through gettext catalogues: extract, update, check, translate."""

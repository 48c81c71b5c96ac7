"""Importers: one module per source format; ``service`` runs an import end to end."""

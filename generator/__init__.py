"""schemagen: one YAML spec in, PostgreSQL DDL and typed Python out."""

__version__ = "0.1.0"

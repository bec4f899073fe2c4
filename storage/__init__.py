"""Persistence: the SQLite database, its migrations, and repositories returning core models."""

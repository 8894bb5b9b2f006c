"""Shared fixtures. Run on SQLite by default, on PostgreSQL when DATABASE_URL is set."""

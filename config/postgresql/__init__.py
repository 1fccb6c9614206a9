"""Django's PostgreSQL backend, failing fast once the database is found
unreachable (``base.DatabaseWrapper``). ``ENGINE: "config.postgresql"``."""

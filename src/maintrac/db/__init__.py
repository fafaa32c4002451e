"""Database access: SQLAlchemy models, queries, the tenant transaction, schema tooling."""

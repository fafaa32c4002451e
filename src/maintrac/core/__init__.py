"""Business rules and domain types. Pure Python: no database, HTTP or framework imports."""

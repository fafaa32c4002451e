"""Use cases: load through db, apply core rules, persist. Never commit: the caller's
transaction (maintrac.db.transaction) commits once for the whole unit of work."""

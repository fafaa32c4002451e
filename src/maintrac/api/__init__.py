"""HTTP edge: the OpenAPI contract, auth, problem responses, handlers mapping to services."""

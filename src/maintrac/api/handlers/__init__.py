"""One module per resource; each function is the handler of one operationId."""

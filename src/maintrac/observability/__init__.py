"""What operators see: request context for logs, Prometheus metrics, OpenTelemetry traces and
Sentry error reports.

This package sits beside ``config`` at the bottom of the import graph: the api, jobs and cli
layers call it, and it imports nothing of theirs (import-linter checks). Each part is off
unless configured, so a process without ``OTEL_*`` or ``SENTRY_DSN`` pays nothing for them.
"""

# Observability: the shipped Prometheus alert rules are checked and unit-tested by promtool
# (Debian's prometheus package; scripts/ci/install-prometheus.sh). On a developer machine
# without promtool the check says so and passes; in CI (CI=true) it fails.
#
#   make alerts-check   promtool check rules + promtool test rules (part of make check)

.PHONY: alerts-check

CHECKS += alerts-check

alerts-check:
	@if command -v promtool >/dev/null 2>&1; then \
	  promtool check rules ops/prometheus/alerts.yml && \
	  (cd ops/prometheus && promtool test rules alerts.test.yml); \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "promtool is missing: CI must check the alert rules"; exit 1; \
	else \
	  echo "alerts-check: promtool not installed (apt-get install prometheus); skipped"; \
	fi

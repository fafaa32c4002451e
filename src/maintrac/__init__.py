"""MainTrac API: multi-tenant maintenance management, contract-first."""

__version__ = "0.1.0"

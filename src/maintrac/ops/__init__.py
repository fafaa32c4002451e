"""Operating the service: backups with pgBackRest and the restore drill (docs/operations.md).

This package sits beside ``cli`` at the top of the layers: it may use everything below
(bootstrap, services, the token minting of ``api``), and nothing below imports it.
"""

"""Background work on Celery with a Redis broker (see ARCHITECTURE.md, "Processes").

``app`` is the Celery app and its delivery settings; ``base`` is the one way a task runs
its work (``tenant_task``: in the tenant transaction, as the app role, once per task id);
``schedule`` is the registry of periodic work; ``relay`` publishes the outbox;
``housekeeping`` holds the clean-up tasks.
"""

"""The Celery app: Redis as the broker only, configured for at-least-once delivery.

* ``task_acks_late`` + ``task_reject_on_worker_lost``: a message is acknowledged after its
  task finished; a worker that dies mid-task leaves it to be delivered again.
* Redis has no real acknowledgement: an unacknowledged message is handed out again after
  ``visibility_timeout`` (``JOBS_VISIBILITY_TIMEOUT``, 6 h). It exceeds every task's run
  time and every retry countdown (``JOBS_RETRY_BACKOFF_MAX``); delayed work waits in the
  outbox (``not_before``), never as a broker ETA.
* ``task_time_limit`` (``JOBS_TIME_LIMIT``, 1 h) bounds every task below that timeout.
* ``worker_prefetch_multiplier=1``: a worker holds only the message it is running.
* One queue per kind of work (``QUEUES``), so a burst of one kind cannot starve another
  and workers can be dedicated (``maintrac worker -Q pm``).
* No result backend: results live in PostgreSQL (``job_runs``, ``job_failures``).

Redis keeps nothing durable here (the machine's Redis has no persistence): PostgreSQL's
outbox is the record of work owed; the broker is transport.
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from maintrac.config import Settings, get_settings

#: Queues are created on first use; a worker consumes every one unless told otherwise.
#: default: work requested by requests (through the outbox); pm: PM generation;
#: housekeeping: periodic clean-up; webhooks: delivery attempts (slow receivers wait here);
#: reports: report builds (long, so they never hold up the default queue).
QUEUES = ("default", "pm", "housekeeping", "webhooks", "reports")

#: Modules whose tasks the worker registers. A new module of tasks is added here.
TASK_MODULES = [
    "maintrac.jobs.base",
    "maintrac.jobs.housekeeping",
    "maintrac.jobs.pm",
    "maintrac.jobs.events",
    "maintrac.jobs.webhooks",
    "maintrac.jobs.reports",
    "maintrac.jobs.notices",
]


#: Task name -> queue. Filled by the task decorators (``base.tenant_task(queue=...)``);
#: the router reads it for every message, sent by name or not.
ROUTES: dict[str, str] = {}


def route(name: str, *_args: Any, **_kwargs: Any) -> dict[str, str]:
    return {"queue": ROUTES.get(name, "default")}


def task_modules(settings: Settings) -> list[str]:
    """The project's task modules plus ``JOBS_EXTRA_TASK_MODULES`` (comma-separated)."""
    extra = [m.strip() for m in settings.jobs_extra_task_modules.split(",") if m.strip()]
    return [*TASK_MODULES, *extra]


def celery_config(settings: Settings) -> dict[str, Any]:
    return {
        "broker_url": settings.redis_url,
        "broker_transport_options": {
            "visibility_timeout": settings.jobs_visibility_timeout,
            # A broker that does not answer fails fast (the relay then waits and retries).
            "socket_connect_timeout": 3,
            "socket_timeout": 10,
            # Look for messages whose worker died every 10 s (kombu's default scans only
            # every 10th time): such a message is redelivered within visibility_timeout
            # plus 10 s. The scan is one sorted-set range query under a mutex.
            "unacked_restore_interval": 10,
            "unacked_restore_throttle": 1,
        },
        "broker_connection_retry_on_startup": True,
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "task_time_limit": settings.jobs_time_limit,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_default_queue": "default",
        "task_routes": [route],
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,
        "result_backend": None,
        "timezone": "UTC",
        "enable_utc": True,
        "worker_hijack_root_logger": False,
        "worker_send_task_events": False,
    }


def make_celery(settings: Settings) -> Celery:
    app = Celery("maintrac", include=task_modules(settings))
    app.conf.update(celery_config(settings))
    return app


celery_app: Celery = make_celery(get_settings())

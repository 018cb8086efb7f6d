"""The digest as a django-tasks task: `send_digests --every` enqueues it, `db_worker` runs it off the request path."""

from django_tasks import task


@task()
def send_digests_task() -> dict:
    from .digest import send_digests

    return send_digests()

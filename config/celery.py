"""Celery: the task engine on Redis in production, in-process when embedded."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("zhitong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""The Celery application: periodic sweeps and long work run on workers fed by Redis."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")

app = Celery("zhifa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

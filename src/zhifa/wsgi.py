import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
application = get_wsgi_application()

if os.environ.get("ZHIFA_WARM_ROUTER", "1") == "1":
    # A worker starts serving with the routing model loaded (gunicorn boots workers one by one
    # and recycles them after --max-requests; the others serve meanwhile).
    from zhifa.dispatch.routing import warm

    warm()

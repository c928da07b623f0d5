import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")

application = get_wsgi_application()


def _warm_up() -> None:
    """Load the URLconf and the coach's lexicons now, not on some user's first request.

    With `gunicorn --preload` this happens once, before the workers fork.
    """
    from django.urls import get_resolver

    from rapport.playbook.coach import review

    get_resolver().url_patterns  # noqa: B018 (touching it builds the resolver)
    review("request", "Warming up: would you have 20 minutes? Thank you.")


_warm_up()

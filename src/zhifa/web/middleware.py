"""A Chinese page for the bare 405 Django answers a GET on a form's address (a reload after a
refused submission, a bookmarked action). The API answers for itself."""

from __future__ import annotations

from django.shortcuts import redirect
from django.template.loader import render_to_string


class MethodNotAllowedPage:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith("/api/"):
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class PasswordMustChange:
    """A person whose password an administrator issued or reset chooses his own before anything
    else: every page but the password form, signing out and static files leads there."""

    #: Pages open before the change (the public portal needs no account at all).
    OPEN = ("/account/password/", "/logout/", "/static/", "/media/", "/public/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            not request.path.startswith(self.OPEN)
            and user is not None
            and user.is_authenticated
            and getattr(user, "password_must_change", False)
        ):
            return redirect("web:password_change")
        return self.get_response(request)

"""A Chinese page for the bare 405 Django answers a GET on a form's address (a reload after a
refused submission, a bookmarked action). The API answers for itself."""

from __future__ import annotations

from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse


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

    #: Open before the change besides the password form and signing out (the public portal needs
    #: no account at all; the API answers for itself).
    OPEN = ("/static/", "/media/", "/public/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response
        self.open: tuple[str, ...] | None = None  # the urlconf is read at the first request

    def __call__(self, request):
        if self.open is None:
            self.open = (reverse("web:password_change"), reverse("logout"), *self.OPEN)
        user = getattr(request, "user", None)
        if (
            not request.path.startswith(self.open)  # first: a public page never loads the user
            and user is not None
            and user.is_authenticated
            and getattr(user, "password_must_change", False)
        ):
            return redirect("web:password_change")
        return self.get_response(request)

"""What a page that needs a login does for someone who is not logged in (any more).

The login sends the browser to the identity provider, another origin. A form's submission may not end
there: the CSP's ``form-action 'self'`` (as browsers enforce it, on every redirect that follows the
submission) stops the navigation and the button seems to do nothing. So a login is only ever started by
a GET navigation the user makes (a link), and a page that cannot start it says why and offers the link:

- a POST from someone not logged in (a step submitted, the language switched, after the session ended)
  goes to the page "Your session has ended", which links to the login and then back to the page the
  form was on, where the draft saved at the previous step is;
- a GET goes to the login at once, unless this browser was logged in a moment ago (the ``LOGGED_IN``
  cookie, set at login for the browser's session, removed at logout): then the session ended, and the
  same page says so. That covers the language switch, whose POST is answered by a redirect to the page.

The data posted after the end of the session are not kept: they come from a browser that is no longer
logged in, and keeping them in an anonymous session until someone logs in would keep personal data
(a national number, dates, income) for no one. What comes back is the draft as last saved.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from careerbreak.core.http import safe_next
from careerbreak.identity.oidc import assurance_level

View = Callable[..., HttpResponse]

# A marker, no personal data: "this browser had a session" (the browser forgets it when it closes).
LOGGED_IN_COOKIE = "careerbreak_logged_in"


def mark_logged_in(response: HttpResponse) -> None:
    response.set_cookie(
        LOGGED_IN_COOKIE,
        "1",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def forget_logged_in(response: HttpResponse) -> None:
    response.delete_cookie(LOGGED_IN_COOKIE, samesite="Lax")


def _page_of_the_form(request: HttpRequest) -> str:
    """The page a POST was sent from (its Referer, when it is ours), else the address it was sent to."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc and referer.netloc == request.get_host():
        candidate = referer.path + (f"?{referer.query}" if referer.query else "")
        page = safe_next(request, candidate)
        if page:
            return page
    return request.path


def login_redirect(request: HttpRequest) -> HttpResponse:
    """Where a page that needs a login sends someone who is not logged in (see the module's text)."""
    if request.method not in ("GET", "HEAD"):
        back = _page_of_the_form(request)
    elif request.COOKIES.get(LOGGED_IN_COOKIE):
        back = request.get_full_path()
    else:
        return redirect_to_login(request.get_full_path(), reverse("identity:login"))
    return HttpResponseRedirect(f"{reverse('identity:session_ended')}?{urlencode({'next': back})}")


def login_required_at(minimum_setting: str, *, refusal: str) -> Callable[[View], View]:
    """A page for someone logged in at least at the assurance level ``settings.<minimum_setting>`` (read on
    every request): the login for whoever is not logged in (``login_redirect``), 403 with ``refusal`` for a
    lower level; the view finds the level in ``request.assurance_level``."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return login_redirect(request)
            level = assurance_level(request)
            if level is None or level < getattr(settings, minimum_setting):
                raise PermissionDenied(refusal)
            request.assurance_level = level  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

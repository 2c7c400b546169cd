"""A browser without a browser: cookies, redirects and the form a user would
submit next on each page of a sign-in (login, consent, device code, and the
SAML POST-binding forms a browser's script submits at once)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx

from chorus_testing.html_forms import Page, parse_page

TIMEOUT = httpx.Timeout(30.0)
MAX_PAGES = 20  # a sign-in that takes more steps than this is looping


class FlowError(Exception):
    """A sign-in step did not go as a browser would expect."""


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = ""

    def __repr__(self) -> str:  # never print the password
        return f"Credentials({self.username!r})"


LOOPBACK = ("127.0.0.1", "localhost", "::1")


class UserAgent:
    """Cookies, redirects and form submits of one user agent."""

    def __init__(self) -> None:
        self.http = httpx.Client(follow_redirects=False, timeout=TIMEOUT)

    def send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        response = self.http.request(method, url, **kwargs)
        # Keycloak marks its session cookies Secure. Browsers send those to a
        # loopback host over plain HTTP (a secure context); httpx does not, and
        # the login form would find no session. So, on loopback only, unmark them.
        for cookie in self.http.cookies.jar:
            if cookie.domain in LOOPBACK:
                cookie.secure = False
        return response

    def close(self) -> None:
        self.http.close()

    def walk(
        self, response: httpx.Response, who: Credentials, stop_at: str | None = None
    ) -> httpx.Response:
        """Follow redirects and answer pages until a redirect to `stop_at` (returned
        unfollowed) or, when `stop_at` is None, a page with nothing left to submit."""
        for _ in range(MAX_PAGES):
            if response.is_redirect:
                location = urljoin(str(response.url), response.headers["location"])
                if stop_at is not None and location.startswith(stop_at):
                    return response
                response = self.send("GET", location)
                continue
            if response.status_code >= 400 and "html" not in response.headers.get(
                "content-type", ""
            ):
                raise FlowError(f"{response.request.url} answered {response.status_code}")
            page = parse_page(response.text)
            submit = self._next_submit(page, who)
            if submit is None:
                if stop_at is None and response.status_code == 200:
                    return response
                raise FlowError(
                    f"{response.status_code} page {page.title!r} at {response.url.path} "
                    f"has nothing to submit: {page.feedback or 'no message'}"
                )
            action, data = submit
            response = self.send("POST", urljoin(str(response.url), action), data=data)
        raise FlowError(f"sign-in of {who.username} did not finish in {MAX_PAGES} pages")

    @staticmethod
    def _next_submit(page: Page, who: Credentials) -> tuple[str, dict[str, str]] | None:
        # SAML POST binding: the page a browser's script would submit at once.
        for saml in page.forms:
            if "SAMLRequest" in saml.fields or "SAMLResponse" in saml.fields:
                return saml.action, dict(saml.fields)
        if (login := page.form_with("username", "password")) is not None:
            if page.feedback and login.fields.get("username"):
                # The same form again, filled: Keycloak refused the credentials.
                raise FlowError(f"sign-in of {who.username} refused: {page.feedback}")
            return login.action, {
                **login.fields,
                "username": who.username,
                "password": who.password,
            }
        if (consent := page.form_with("accept")) is not None:  # the consent screen: "Yes"
            return consent.action, {**consent.fields, "accept": consent.buttons["accept"] or "Yes"}
        if (entry := page.form_with("device_user_code")) is not None:
            if not entry.fields["device_user_code"]:
                raise FlowError(f"device code page without a code: {page.feedback}")
            return entry.action, dict(entry.fields)
        return None

"""The forms of an HTML page, read with the standard library's parser.

The sign-in helpers in chorus_testing.keycloak act as a browser without one:
they read the identity provider's pages (login, consent, device code, SAML
POST-binding auto-submit) as forms and submit them. Only what a form submit
needs is kept: its action, method, fields and submit buttons, plus the page
title and the provider's feedback text for error messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    # Submit buttons by name: a browser sends only the one that was pressed.
    buttons: dict[str, str] = field(default_factory=dict)
    id: str = ""

    def has(self, *names: str) -> bool:
        return all(n in self.fields or n in self.buttons for n in names)


@dataclass
class Page:
    forms: list[Form]
    title: str
    # Keycloak's message to the user (an error or an info), if the page shows one.
    feedback: str

    def form_with(self, *names: str) -> Form | None:
        return next((f for f in self.forms if f.has(*names)), None)


_FEEDBACK_CLASSES = ("kc-feedback-text", "pf-v5-c-alert__title", "instruction")
_FEEDBACK_IDS = ("input-error", "kc-page-title", "kc-info-message")


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self.title = ""
        self._in_title = False
        self.feedback: list[str] = []
        self._feedback_depth = 0
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                id=a.get("id", ""),
            )
            self.forms.append(self._form)
        elif tag == "title":
            self._in_title = True
        elif tag in ("input", "button") and self._form is not None:
            self._field(tag, a)
        elif tag == "textarea" and self._form is not None and a.get("name"):
            self._textarea = a["name"]
            self._form.fields[self._textarea] = ""
        if self._feedback_depth:
            self._feedback_depth += 1
        elif a.get("id") in _FEEDBACK_IDS or any(
            c in a.get("class", "").split() for c in _FEEDBACK_CLASSES
        ):
            self._feedback_depth = 1

    def _field(self, tag: str, a: dict[str, str]) -> None:
        assert self._form is not None
        name, kind = a.get("name"), a.get("type", "submit" if tag == "button" else "text").lower()
        if not name:
            return
        if kind == "submit":
            self._form.buttons[name] = a.get("value", "")
        elif kind in ("checkbox", "radio"):
            if "checked" in a:
                self._form.fields[name] = a.get("value", "on")
        else:
            self._form.fields[name] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "title":
            self._in_title = False
        elif tag == "textarea":
            self._textarea = None
        if self._feedback_depth:
            self._feedback_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data.strip()
        if self._textarea is not None and self._form is not None:
            self._form.fields[self._textarea] += data
        if self._feedback_depth and data.strip():
            self.feedback.append(data.strip())


def parse_page(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return Page(forms=parser.forms, title=parser.title, feedback=" ".join(parser.feedback))

"""What an endpoint's answer says, when it is not the one asked for: its status worded in plain
words (a redirect and where it points, a refusal of the credentials, an answer that does not
confirm an upload), and the server's own message, on one line."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from edugraph.errors import EngineError
from edugraph.query.auth import PASSWORD_VAR, USER_VAR, Credentials, schemes
from edugraph.query.urls import display_url

if TYPE_CHECKING:
    from email.message import Message

_MAX_MESSAGE = 300
_STATUS = re.compile(r"HTTP/\d(\.\d)?\s+\d{3}\b")


class Reply(NamedTuple):
    """An HTTP answer: its status, reason phrase, headers and (the start of) its body."""

    status: int
    reason: str
    headers: Message
    body: bytes


def either(statuses: tuple[int, ...]) -> str:
    """``HTTP 200``, ``HTTP 200, 201 or 204``."""
    words = [str(s) for s in statuses]
    return "HTTP " + (", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0])


def refusal(reply: Reply, url: str, what: str, verb: str, confirms: tuple[int, ...], unconfirmed: str,
            answered: bool, credentials: Credentials | None, hint_500: str | None) -> EngineError:
    """The error for an answer whose status is not one of ``confirms``; ``url`` is the URL asked
    (its userinfo masked in the message), ``answered`` whether credentials were sent."""
    shown = display_url(url)
    code = reply.status
    reason = shorten(reply.reason) or "(no reason given)"
    message = display_url(server_message(reply.body, reply.headers.get("Content-Type", "")) or reason)
    setting = f"set {USER_VAR} and {PASSWORD_VAR}"
    if code == 401:
        asked = schemes(reply.headers.get_all("WWW-Authenticate") or [])
        if not asked:  # RFC 9110 requires a challenge with a 401; a server may still leave it out
            return EngineError(f"{shown} refused {what} (HTTP 401) without naming the authentication "
                               f"it takes: {message}", hint=setting)
        scheme = " or ".join(asked)
        if credentials is None:
            return EngineError(f"{shown} asks for credentials ({scheme}) for {what} (HTTP 401): {message}",
                               hint=setting)
        if not answered:
            return EngineError(f"{shown} asks for {scheme} authentication for {what} (HTTP 401), which "
                               f"edugraph does not speak: {message}",
                               hint="use an endpoint that takes HTTP Basic or Digest")
        return EngineError(f"{shown} refused the credentials of '{credentials.user}' for {what} "
                           f"(HTTP 401, {scheme}): {message}", hint=f"check {USER_VAR} and {PASSWORD_VAR}")
    if code == 403:
        if credentials is None:
            return EngineError(f"{shown}: not allowed to {verb} without credentials (HTTP 403): {message}",
                               hint=f"use the endpoint's authenticated URL and {setting}")
        return EngineError(f"{shown}: '{credentials.user}' is not allowed to {verb} (HTTP 403): {message}",
                           hint="ask the store's administrator for the permission")
    if 300 <= code < 400:
        location = reply.headers.get("Location", "") or ""
        if location:
            return EngineError(f"{shown} redirects {what} (HTTP {code}) to {_where(url, location)}",
                               hint="give the URL it redirects to, if you trust it")
    if code < 400:  # 1xx, 2xx and 3xx without a Location: not what was asked for
        return EngineError(f"{shown} answered {what} with HTTP {code} {reason} where edugraph "
                           f"expects {either(confirms)}", hint=unconfirmed)
    hint = hint_500 if code == 500 else None
    return EngineError(f"{shown} answered {what} with HTTP {code} {reason}: {message}", hint=hint)


def _where(url: str, location: str) -> str:
    """Where a Location points, resolved against the URL asked, its userinfo masked."""
    import urllib.parse

    try:
        target = urllib.parse.urljoin(url, location)
    except ValueError:  # brackets that do not match: shown as sent
        target = location
    return shorten(display_url(target))


def server_message(body: bytes, content_type: str = "") -> str:
    """The server's own words in an error response, on one line: the text of an HTML page's
    heading and body (never its ``<!DOCTYPE ...>`` line), else the body's first non-empty line."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return ""
    if "html" in content_type.lower() or re.match(r"(?is)\s*(<!doctype\s+html|<html)", text):
        return shorten(_html_text(text))
    return shorten(text.splitlines()[0].strip())


def shorten(text: str) -> str:
    """``text`` on one line of at most 300 characters."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE - 3].rstrip() + "..."


def _html_text(page: str) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.title: list[str] = []
            self.heading: list[str] = []
            self.body: list[str] = []
            self.where: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("script", "style", "head", "title") or re.fullmatch(r"h[1-6]", tag):
                self.where.append(tag)
            if re.fullmatch(r"h[1-6]", tag):
                self.heading.append("")
            if tag in ("br", "p", "div", "li", "tr", "pre"):
                self.body.append(" ")

        def handle_endtag(self, tag: str) -> None:
            if self.where and self.where[-1] == tag:
                self.where.pop()

        def handle_data(self, data: str) -> None:
            inside = self.where[-1] if self.where else ""
            if inside in ("script", "style", "head"):
                return
            if inside == "title":
                self.title.append(data)
            elif re.fullmatch(r"h[1-6]", inside):
                self.heading[-1] += data
            else:
                self.body.append(data)

    parser = Text()
    parser.feed(page)
    parser.close()
    # A heading that only repeats the status line ("HTTP/1.1 500 Request Failed") says nothing
    # the message does not already say.
    headings = [h for h in (shorten(h) for h in parser.heading) if h and not _STATUS.match(h)]
    heading = ": ".join(headings) or shorten(" ".join(parser.title))
    body = shorten(" ".join(parser.body))
    if body.startswith(heading):
        body = body[len(heading):].strip()
    return ": ".join(part for part in (heading, body) if part)

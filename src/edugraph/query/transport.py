"""One HTTP request to an endpoint the user named, in the standard library only: HTTP Basic and
Digest (RFC 7616 and 2617: MD5, SHA-256, their ``-sess`` forms, qop ``auth``) answered from the
server's ``WWW-Authenticate`` challenge, redirects refused, and every failure one plain line.

Credentials are sent only in answer to a challenge, so a password never travels in Basic to a
server that asks for Digest. The URL's userinfo (``user:password@``) is taken as the credentials
when none are given, never sent as part of the URL, and masked in every message
(:func:`display_url`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from edugraph.errors import EngineError

if TYPE_CHECKING:  # urllib loads only when a request is made
    from urllib.error import HTTPError

USER_VAR = "EDUGRAPH_ENDPOINT_USER"
PASSWORD_VAR = "EDUGRAPH_ENDPOINT_PASSWORD"
_MAX_MESSAGE = 300
_STATUS = re.compile(r"HTTP/\d(\.\d)?\s+\d{3}\b")


class Credentials(NamedTuple):
    user: str
    password: str


def split_userinfo(url: str) -> tuple[str, Credentials | None]:
    """The URL without its ``user:password@``, and those credentials (None when it has none)."""
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    bare = urllib.parse.urlunsplit(parts._replace(netloc=host))
    return bare, Credentials(urllib.parse.unquote(user), urllib.parse.unquote(password))


def display_url(url: str) -> str:
    """The URL as messages show it: a password in its userinfo replaced by ``***``."""
    return re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@?#]*)@",
                  lambda m: f"{m[1]}{m[2].partition(':')[0]}:***@", url)


class Request(NamedTuple):
    """What to send: ``what`` names it in messages ("the upload"), ``verb`` what a refusal
    forbids ("write")."""

    url: str
    method: str
    data: bytes | None
    headers: dict[str, str]
    what: str
    verb: str


def send(req: Request, credentials: Credentials | None, timeout: float,
         hint_500: str | None = None) -> tuple[bytes, str]:
    """The response body and Content-Type; an EngineError naming what went wrong otherwise.

    ``hint_500`` is the hint of an HTTP 500 (what the server most likely needs).
    """
    import urllib.error

    url, from_url = split_userinfo(req.url)
    credentials = credentials or from_url
    shown = display_url(req.url)
    authorization: str | None = None
    try:
        for attempt in range(2):
            try:
                return _open(req, url, authorization, timeout)
            except urllib.error.HTTPError as exc:
                challenges = exc.headers.get_all("WWW-Authenticate") or []
                if exc.code == 401 and attempt == 0 and credentials is not None and challenges:
                    authorization = answer(challenges, credentials, req.method, url)
                    if authorization is not None:
                        continue
                raise _http_error(exc, req, shown, challenges, authorization is not None,
                                  credentials, hint_500) from None
    except TimeoutError:  # socket.timeout is TimeoutError since Python 3.10
        raise _timeout(shown, req.what, timeout) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise _timeout(shown, req.what, timeout) from None
        text = getattr(reason, "strerror", None) or str(reason)
        raise EngineError(f"cannot reach {shown}: {display_url(text)}",
                          hint="check the URL and that the server is running") from None
    except (ConnectionError, OSError) as exc:
        raise EngineError(f"cannot reach {shown}: {display_url(str(exc))}",
                          hint="check the URL and that the server is running") from None
    raise AssertionError("unreachable")  # the loop returns or raises


def _open(req: Request, url: str, authorization: str | None, timeout: float) -> tuple[bytes, str]:
    # urllib.request is loaded only when a request is made: a local query never pays for it.
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        # A redirect would send the upload (and the credentials) to a URL the user did not name:
        # it surfaces as the HTTP 30x it is.
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    request = urllib.request.Request(url, data=req.data, method=req.method, headers=req.headers)
    if authorization is not None:
        request.add_header("Authorization", authorization)
    # Our own opener: the process-wide one refuses URLs (see netguard); this one opens exactly
    # the endpoint the user named, and follows no redirect.
    opener = urllib.request.build_opener(NoRedirect())
    with opener.open(request, timeout=timeout) as response:
        return response.read(), response.headers.get("Content-Type", "")


def _timeout(shown: str, what: str, timeout: float) -> EngineError:
    return EngineError(f"{shown} did not answer {what} within {timeout:g} s",
                       hint="raise --timeout, or check the server")


# --- Authentication ----------------------------------------------------------------------------

_TOKEN = r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"
_PARAM = re.compile(rf'({_TOKEN})\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)')
_SCHEME = re.compile(_TOKEN)
_HASHES = {"MD5": "md5", "SHA-256": "sha256"}


def parse_challenges(headers: list[str]) -> list[tuple[str, dict[str, str]]]:
    """The challenges of ``WWW-Authenticate`` headers: (scheme, its parameters, names lowercased),
    in order; one header may hold several (``Digest realm="x", nonce="y", Basic realm="x"``)."""
    found: list[tuple[str, dict[str, str]]] = []
    for header in headers:
        pos = 0
        while pos < len(header):
            if header[pos] in " \t,":
                pos += 1
                continue
            param = _PARAM.match(header, pos)
            if param is not None and found:
                value = param[2]
                if value.startswith('"'):
                    value = re.sub(r"\\(.)", r"\1", value[1:-1])
                found[-1][1][param[1].lower()] = value
                pos = param.end()
                continue
            scheme = _SCHEME.match(header, pos)
            if scheme is None:
                pos += 1  # a stray character: skipped, as lenient clients do
                continue
            found.append((scheme[0], {}))
            pos = scheme.end()
    return found


def schemes(headers: list[str]) -> list[str]:
    """The authentication schemes the challenges name, in order (``Digest``, ``Basic``)."""
    names: list[str] = []
    for scheme, _ in parse_challenges(headers):
        if scheme not in names:
            names.append(scheme)
    return names


def answer(challenges: list[str], credentials: Credentials, method: str, url: str) -> str | None:
    """The Authorization header answering the strongest challenge edugraph speaks (Digest with
    SHA-256, then MD5, then Basic), or None when it speaks none of them."""
    import base64
    import urllib.parse

    parsed = parse_challenges(challenges)
    usable = [params for scheme, params in parsed if scheme.lower() == "digest"
              and params.get("algorithm", "MD5").upper().removesuffix("-SESS") in _HASHES
              and ("qop" not in params or "auth" in [q.strip() for q in params["qop"].split(",")])]
    if usable:
        # SHA-256 before MD5, when the server offers both
        params = min(usable, key=lambda p: not p.get("algorithm", "").upper().startswith("SHA-256"))
        parts = urllib.parse.urlsplit(url)
        uri = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return digest(credentials, params, method, uri)
    offered = {scheme.lower() for scheme, _ in parsed}
    if "basic" in offered:
        token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode()
        return f"Basic {token}"
    return None


def digest(credentials: Credentials, params: dict[str, str], method: str, uri: str,
           cnonce: str | None = None) -> str:
    """The ``Authorization: Digest ...`` value for one request (RFC 7616, section 3.4)."""
    import hashlib
    import secrets

    algorithm = params.get("algorithm", "MD5")
    name = _HASHES[algorithm.upper().removesuffix("-SESS")]

    def h(text: str) -> str:
        return hashlib.new(name, text.encode()).hexdigest()

    realm, nonce = params.get("realm", ""), params.get("nonce", "")
    cnonce = cnonce or secrets.token_hex(16)
    nc = "00000001"
    ha1 = h(f"{credentials.user}:{realm}:{credentials.password}")
    if algorithm.upper().endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    qop = "auth" if "qop" in params else None
    response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}") if qop else h(f"{ha1}:{nonce}:{ha2}")

    def quoted(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    fields = [f"username={quoted(credentials.user)}", f"realm={quoted(realm)}", f"nonce={quoted(nonce)}",
              f"uri={quoted(uri)}", f"algorithm={algorithm}", f"response={quoted(response)}"]
    if qop:
        fields += [f"qop={qop}", f"nc={nc}", f"cnonce={quoted(cnonce)}"]
    if "opaque" in params:
        fields.append(f"opaque={quoted(params['opaque'])}")
    return "Digest " + ", ".join(fields)


# --- Errors ------------------------------------------------------------------------------------

def _http_error(exc: HTTPError, req: Request, shown: str, challenges: list[str], answered: bool,
                credentials: Credentials | None, hint_500: str | None) -> EngineError:
    message = server_message(exc.read(), exc.headers.get("Content-Type", "")) or exc.reason
    message = display_url(message)
    setting = f"set {USER_VAR} and {PASSWORD_VAR}"
    if exc.code == 401:
        asked = schemes(challenges)
        if not asked:  # RFC 9110 requires a challenge with a 401; a server may still leave it out
            return EngineError(f"{shown} refused {req.what} (HTTP 401) without naming the authentication "
                               f"it takes: {message}", hint=setting)
        scheme = " or ".join(asked)
        if credentials is None:
            return EngineError(f"{shown} asks for credentials ({scheme}) for {req.what} (HTTP 401): {message}",
                               hint=setting)
        if not answered:
            return EngineError(f"{shown} asks for {scheme} authentication for {req.what} (HTTP 401), which "
                               f"edugraph does not speak: {message}",
                               hint="use an endpoint that takes HTTP Basic or Digest")
        return EngineError(f"{shown} refused the credentials of '{credentials.user}' for {req.what} "
                           f"(HTTP 401, {scheme}): {message}", hint=f"check {USER_VAR} and {PASSWORD_VAR}")
    if exc.code == 403:
        if credentials is None:
            return EngineError(f"{shown}: not allowed to {req.verb} without credentials (HTTP 403): {message}",
                               hint=f"use the endpoint's authenticated URL and {setting}")
        return EngineError(f"{shown}: '{credentials.user}' is not allowed to {req.verb} (HTTP 403): {message}",
                           hint="ask the store's administrator for the permission")
    if 300 <= exc.code < 400:
        target = display_url(exc.headers.get("Location", "") or "")
        return EngineError(f"{shown} redirects {req.what} (HTTP {exc.code}) to {target or 'another URL'}",
                           hint="give the URL it redirects to, if you trust it")
    hint = hint_500 if exc.code == 500 else None
    return EngineError(f"{shown} answered {req.what} with HTTP {exc.code} {exc.reason}: {message}", hint=hint)


def server_message(body: bytes, content_type: str = "") -> str:
    """The server's own words in an error response, on one line: the text of an HTML page's
    heading and body (never its ``<!DOCTYPE ...>`` line), else the body's first non-empty line."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return ""
    if "html" in content_type.lower() or re.match(r"(?is)\s*(<!doctype\s+html|<html)", text):
        return _shorten(_html_text(text))
    return _shorten(text.splitlines()[0].strip())


def _shorten(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE - 3].rstrip() + "..."


def _html_text(page: str) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.skip = 0
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
    headings = [h for h in (_shorten(h) for h in parser.heading) if h and not _STATUS.match(h)]
    heading = ": ".join(headings) or _shorten(" ".join(parser.title))
    body = _shorten(" ".join(parser.body))
    if body.startswith(heading):
        body = body[len(heading):].strip()
    return ": ".join(part for part in (heading, body) if part)

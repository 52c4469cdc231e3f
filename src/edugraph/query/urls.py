"""Endpoint URLs taken apart by edugraph itself, and refused with one plain line when they are
not what an HTTP request can be sent to: no host, a port out of range, brackets that do not
match, spaces, control characters, characters that are not ASCII.

The URL is read here rather than by :func:`urllib.parse.urlsplit`, whose errors quote the part
in brackets wherever it is, a password's included. Its userinfo (``user:password@``) becomes the
credentials, is never sent as part of the URL, and is masked in every message (:func:`display_url`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from edugraph.errors import UsageError
from edugraph.query.auth import Credentials

EXAMPLE = "http://127.0.0.1:7878/store"
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_REG_NAME = re.compile(r"[A-Za-z0-9._~-]+")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Endpoint(NamedTuple):
    """Where a request goes: ``host`` and ``port`` to connect to (an IPv6 address without its
    brackets), ``target`` the path and query asked for (``/`` at least)."""

    scheme: str
    host: str
    port: int
    target: str
    credentials: Credentials | None


def display_url(url: str) -> str:
    """The URL as messages show it: a password in its userinfo replaced by ``***``."""
    # greedy up to the authority's last '@': a password holding an '@' is masked whole
    return re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/?#]*)@",
                  lambda m: f"{m[1]}{m[2].partition(':')[0]}:***@", url)


def _masked_loosely(url: str) -> str:
    """The URL as a message about its errors shows it: masked as :func:`display_url` masks it,
    and, in a URL whose host ended early (``user:pa#ss@host``: a password holding a '/', '?' or
    '#'), whatever lies between the first ':' and the last '@'."""
    shown = display_url(url)
    if shown != url:
        return shown
    return re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)([^:@]*):(.*)@", lambda m: f"{m[1]}{m[2]}:***@", url)


def split_userinfo(url: str) -> tuple[str, Credentials | None]:
    """The URL without its ``user:password@``, and those credentials (None when it has none)."""
    import urllib.parse

    found = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*://)([^/?#]*)@", url)
    if found is None:
        return url, None
    user, _, password = found[2].partition(":")
    return found[1] + url[found.end():], Credentials(urllib.parse.unquote(user), urllib.parse.unquote(password))


class _Bad(Exception):
    """What is wrong with a URL, and what fixes it: worded into a UsageError by parse_endpoint."""

    def __init__(self, why: str, hint: str) -> None:
        super().__init__(why)
        self.why, self.hint = why, hint


def parse_endpoint(url: str) -> Endpoint:
    """``url`` taken apart; a UsageError naming what is wrong (the password masked) otherwise."""
    shown = _masked_loosely(url)
    try:
        _check_characters(url)
        scheme = _SCHEME.match(url)
        if scheme is None or scheme[1].lower() not in _DEFAULT_PORTS or not url[scheme.end():].startswith("//"):
            raise UsageError(f"'{shown}' is not an http(s) endpoint URL", hint=f"give the full URL, e.g. {EXAMPLE}")
        return _parse(scheme[1].lower(), url[scheme.end() + 2:], url)
    except _Bad as bad:
        raise UsageError(f"'{shown}' is not a valid endpoint URL: {bad.why}", hint=bad.hint) from None


def _check_characters(url: str) -> None:
    control = _CONTROL.search(url)
    if control is not None:
        raise _Bad(f"it holds a control character ({control[0].encode('unicode_escape').decode('ascii')})",
                   "remove it")
    if " " in url:
        raise _Bad("it holds a space", "percent-encode it as %20")
    other = _NOT_ASCII.search(url)
    if other is not None:
        encoded = "".join(f"%{b:02X}" for b in other[0].encode("utf-8", "surrogatepass"))
        raise _Bad(f"it holds '{other[0]}', which is not ASCII",
                   f"percent-encode it ({encoded}), or give the host's ASCII (punycode) name")


def _parse(scheme: str, rest: str, url: str) -> Endpoint:
    """The endpoint of ``scheme://rest`` (``url``), its characters checked."""
    authority = re.match(r"[^/?#]*", rest)[0]  # type: ignore[index]  # always matches
    target = rest[len(authority):].partition("#")[0]  # a fragment is never sent
    target = target if target.startswith("/") else "/" + target
    _, at, hostport = authority.rpartition("@")
    if "@" in rest[len(authority):]:
        # "user:pa/ss@host": a '/', '?' or '#' in a password ends the host early, and the URL
        # would name another host (with the password as its port, path or query)
        raise _Bad("it holds an '@' after its host, as a password with a '/', '?' or '#' would put it",
                   "percent-encode them in the password (%2F, %3F, %23), and an '@' in the path as %40")
    host, port_text = _host_and_port(hostport)
    if not host:
        raise _Bad("it names no host", f"give the full URL, e.g. {EXAMPLE}")
    port = _DEFAULT_PORTS[scheme]
    if port_text:
        if not re.fullmatch(r"[0-9]{1,5}", port_text) or not 0 < int(port_text) < 65536:
            raise _Bad(f"the port '{port_text}' is not a number from 1 to 65535",
                       f"give the port the server listens on, e.g. {EXAMPLE}")
        port = int(port_text)
    return Endpoint(scheme, host, port, target, split_userinfo(url)[1] if at else None)


def _host_and_port(hostport: str) -> tuple[str, str]:
    """The host (an IPv6 address without brackets) and the port's text of ``host:port``."""
    import ipaddress

    brackets = "write an IPv6 address in brackets, e.g. http://[::1]:7878/store"
    if hostport.startswith("["):
        found = re.fullmatch(r"\[([^\[\]]*)\](?::(.*))?", hostport)
        if found is None:
            raise _Bad("the brackets of its IPv6 address do not match, or something other than a port "
                       "follows them", brackets)
        try:
            ipaddress.IPv6Address(found[1])
        except ValueError:
            raise _Bad(f"'[{found[1]}]' is not an IPv6 address", brackets) from None
        return found[1], found[2] or ""
    if "[" in hostport or "]" in hostport:
        raise _Bad("its brackets do not match", brackets)
    if hostport.count(":") > 1:
        raise _Bad("an IPv6 address must be written in brackets", brackets)
    host, _, port_text = hostport.partition(":")
    if host and not _REG_NAME.fullmatch(host):
        raise _Bad(f"'{host}' is not a host name or address", f"give the server's name or address, e.g. {EXAMPLE}")
    labels = host.removesuffix(".").split(".")
    if host and (len(host) > 253 or not all(0 < len(label) <= 63 for label in labels)):
        # what a resolver would refuse (RFC 1035): empty labels, labels over 63 characters
        raise _Bad(f"'{host}' is not a host name: a name's parts hold 1 to 63 characters, 253 in all",
                   f"give the server's name or address, e.g. {EXAMPLE}")
    return host, port_text

"""HTTP authentication as edugraph answers it: Basic and Digest (RFC 7616 and 2617: MD5,
SHA-256, their ``-sess`` forms, qop ``auth``), answered from the server's ``WWW-Authenticate``
challenge, so that a password never travels in Basic to a server that asks for Digest."""

from __future__ import annotations

import re
from typing import NamedTuple

USER_VAR = "EDUGRAPH_ENDPOINT_USER"
PASSWORD_VAR = "EDUGRAPH_ENDPOINT_PASSWORD"

_TOKEN = r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"
_PARAM = re.compile(rf'({_TOKEN})\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)')
_SCHEME = re.compile(_TOKEN)
_HASHES = {"MD5": "md5", "SHA-256": "sha256"}


class Credentials(NamedTuple):
    user: str
    password: str


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
    import urllib.parse

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

    # a name that is not ASCII would not survive a header as it is: RFC 7616's username*
    user = (f"username={quoted(credentials.user)}" if credentials.user.isascii()
            else f"username*=UTF-8''{urllib.parse.quote(credentials.user, safe='')}")
    fields = [user, f"realm={quoted(realm)}", f"nonce={quoted(nonce)}",
              f"uri={quoted(uri)}", f"algorithm={algorithm}", f"response={quoted(response)}"]
    if qop:
        fields += [f"qop={qop}", f"nc={nc}", f"cnonce={quoted(cnonce)}"]
    if "opaque" in params:
        fields.append(f"opaque={quoted(params['opaque'])}")
    return "Digest " + ", ".join(fields)

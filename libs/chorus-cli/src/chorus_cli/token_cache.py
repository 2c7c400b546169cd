"""Where the CLI keeps a signed-in person's tokens between commands.

One file per person and provider: `<cache>/chorus/tokens/<issuer-hash>/
<name>.json`, mode 0600 in a 0700 directory (a token is a credential: only
its owner may read it). The cache root is $CHORUS_CLI_CACHE_DIR, else
$XDG_CACHE_HOME, else ~/.cache. The issuer is hashed so that signing in to
two providers (local Keycloak, the company's) never mixes their tokens. A
`current` file names the person who signed in last: the one who acts when a
command names nobody (--as / CHORUS_CLI_USER).

A file holds the provider's tokens (access, refresh, id) and the Chorus
token the gateway gave for them, each with its absolute expiry.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from chorus_cli.oauth import Tokens

CURRENT = "current"
# A name becomes a file name: letters, digits and . _ @ - only, as user
# names are; anything else is refused rather than escaped.
_NAME = re.compile(r"^[A-Za-z0-9._@-]{1,128}$")


class CacheError(Exception):
    pass


def cache_root(environ: dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if env.get("CHORUS_CLI_CACHE_DIR"):
        return Path(env["CHORUS_CLI_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "chorus"


def check_name(name: str) -> str:
    if not _NAME.match(name) or name in {".", "..", CURRENT}:
        raise CacheError(f"not a usable user name: {name!r}")
    return name


@dataclass(frozen=True)
class Session:
    """One person's cached sign-in."""

    name: str
    idp: Tokens
    chorus_token: str = ""
    chorus_expires_at: float = 0.0

    def with_idp(self, tokens: Tokens) -> Session:
        # A refresh may omit a new refresh token: keep the one we had.
        refresh = tokens.refresh_token or self.idp.refresh_token
        refresh_at = tokens.refresh_expires_at or self.idp.refresh_expires_at
        renewed = Tokens(
            tokens.access_token,
            tokens.expires_at,
            refresh,
            refresh_at,
            tokens.id_token or self.idp.id_token,
        )
        return Session(self.name, renewed, self.chorus_token, self.chorus_expires_at)

    def with_chorus(self, token: str, expires_at: float) -> Session:
        return Session(self.name, self.idp, token, expires_at)


class TokenCache:
    def __init__(self, issuer: str, root: Path | None = None) -> None:
        digest = hashlib.sha256(issuer.rstrip("/").encode()).hexdigest()[:16]
        self.dir = (root or cache_root()) / "tokens" / digest

    def _path(self, name: str) -> Path:
        return self.dir / f"{check_name(name)}.json"

    def _ensure_dir(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.dir.chmod(0o700)

    def load(self, name: str) -> Session | None:
        path = self._path(name)
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text())
            return Session(
                name,
                Tokens(**data["idp"]),
                str(data.get("chorus_token", "")),
                float(data.get("chorus_expires_at", 0.0)),
            )
        except (ValueError, KeyError, TypeError):
            return None  # a damaged file is a signed-out person, not a crash

    def save(self, session: Session) -> None:
        self._ensure_dir()
        path = self._path(session.name)
        data = {
            "idp": asdict(session.idp),
            "chorus_token": session.chorus_token,
            "chorus_expires_at": session.chorus_expires_at,
        }
        partial = path.with_suffix(".tmp")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle)
        partial.chmod(0o600)
        partial.replace(path)

    def remove(self, name: str) -> bool:
        path = self._path(name)
        existed = path.exists()
        path.unlink(missing_ok=True)
        if self.current() == name:
            (self.dir / CURRENT).unlink(missing_ok=True)
        return existed

    def names(self) -> list[str]:
        if not self.dir.is_dir():
            return []
        return sorted(p.stem for p in self.dir.glob("*.json"))

    def current(self) -> str:
        path = self.dir / CURRENT
        return path.read_text().strip() if path.is_file() else ""

    def set_current(self, name: str) -> None:
        self._ensure_dir()
        (self.dir / CURRENT).write_text(check_name(name) + "\n")

"""Where Docket's HTTP service answers: `service.base_url`, the address `docket serve` binds, and whether anyone is there.

`service.base_url` is the one truth for the links Docket prints (`docket link`, the local-view
links of `docket weekly` and `add-item`). So on a machine's own backends (embedded, endpoint),
where base_url is a loopback URL, `docket serve` listens at base_url unless told otherwise, and
says so loudly when told otherwise; the commands that print links warn when nothing answers there.
A public base_url (Cloud Run) is served behind Google's front end on $PORT, and is not probed.
"""

from __future__ import annotations

import ipaddress
import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from service.settings import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def _loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def local_base(settings: Settings) -> Address | None:
    """base_url as a local address to serve, when it is one: http on a loopback host, on a local backend."""
    if settings.backend == "google":
        return None
    parts = urlsplit(settings.service.base_url)
    if parts.scheme != "http" or not _loopback(parts.hostname) or parts.path.strip("/"):
        return None
    return Address(parts.hostname or DEFAULT_HOST, parts.port or 80)


def serve_address(settings: Settings, host: str | None, port: int | None, env: Mapping[str, str]) -> Address:
    """Where `docket serve` listens: --host/--port, else $PORT (Cloud Run), else base_url when it is local, else 127.0.0.1:8080."""
    base = local_base(settings)
    if port is None and "PORT" in env:
        port = int(env["PORT"])
    if base is not None:
        return Address(host or base.host, base.port if port is None else port)
    return Address(host or DEFAULT_HOST, DEFAULT_PORT if port is None else port)


def mismatch_warning(settings: Settings, served: Address) -> str | None:
    """The warning `docket serve` prints when the links other commands print would not reach it."""
    base = local_base(settings)
    if base is None or (base.port == served.port and (served.host == base.host or served.host in ("0.0.0.0", "::")
                                                      or (_loopback(served.host) and _loopback(base.host)))):
        return None
    return (f"service.base_url is {settings.service.base_url}, but this server answers on {served.origin}: the links "
            f"`docket link` and `docket weekly` print point at service.base_url. To open them here, set "
            f'base_url = "{served.origin}" under [service] in {settings.source}, or serve with --port {base.port}.')


def answers(base_url: str, timeout: float = 1.0) -> bool:
    """Whether a Docket service answers GET {base_url}/healthz with its {"status": "ok"}."""
    try:
        with urllib.request.urlopen(f"{base_url.rstrip('/')}/healthz", timeout=timeout) as response:
            return response.status == 200 and json.loads(response.read(1024)).get("status") == "ok"
    except urllib.error.HTTPError as error:  # something answers, but not Docket's health check
        error.close()
        return False
    except (urllib.error.URLError, OSError, ValueError, AttributeError):
        return False


def unanswered_warning(settings: Settings) -> str | None:
    """For commands that print local links: a warning when nothing answers at a local base_url yet."""
    base = local_base(settings)
    if base is None or answers(settings.service.base_url):
        return None
    return (f"nothing answers at {settings.service.base_url} (service.base_url) yet: run `docket serve` "
            "(it listens there) for these links to open.")

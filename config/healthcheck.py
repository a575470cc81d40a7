"""Container health probe: ``python config/healthcheck.py`` exits 0 when /healthz answers 200.

It asks the web process on this machine as the first of ALLOWED_HOSTS (any other Host header is
refused by Django), over plain HTTP, which /healthz is exempt from redirecting to HTTPS.
"""

from __future__ import annotations

import http.client
import os
import sys


def probe_host() -> str:
    hosts = [host.strip() for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host.strip()]
    host = hosts[0] if hosts else "localhost"
    if host == "*":
        return "localhost"
    return host.lstrip(".")  # ".example.gov.cn" allows example.gov.cn and its subdomains


def main() -> int:
    address = os.environ.get("HEALTHCHECK_ADDRESS", "127.0.0.1:8000")
    connection = http.client.HTTPConnection(address, timeout=float(os.environ.get("HEALTHCHECK_TIMEOUT", 5)))
    try:
        connection.request("GET", "/healthz", headers={"Host": probe_host(), "Accept": "application/json"})
        response = connection.getresponse()
        body = response.read(2000).decode("utf-8", "replace")
    except OSError as exc:
        print(f"healthz: no answer from {address}: {exc}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    print(f"healthz: {response.status} {body}")
    return 0 if response.status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())

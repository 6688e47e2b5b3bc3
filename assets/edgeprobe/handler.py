"""drsc edge probe: does the primary region's public front door answer?

Deployed by drsc as a Lambda function in the *secondary* region, outside any
VPC, so its request takes the internet path to the primary region's front door
(not the VPC peering the database probe uses). Lambda handler setting:
``handler.handler``. Runtime: python3.12 (standard library + the
runtime-provided boto3 only).

It sends one HTTPS ``GET`` to ``TARGET_URL`` (the primary front door's health
URL) and publishes ``1`` (answered with a 2xx/3xx status) or ``0`` (an error
status, a timeout, a DNS or TLS failure) to a custom CloudWatch metric. The
alarm on that metric is one of the two inputs of drsc's composite failover
alarm: the failover starts only when the primary is unreachable both over the
peering and from the internet, so a partition of the peering alone does not
promote the secondary.

Environment: ``TARGET_URL``, ``METRIC_NAMESPACE``, ``METRIC_NAME``, ``SITE``,
optional ``TIMEOUT_SECONDS`` (default 5).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any, Callable, Mapping

import boto3

DEFAULT_TIMEOUT = 5.0


def make_client(service: str) -> Any:
    """Create a boto3 client. Tests replace this function to inject stubs."""
    return boto3.client(service)


def log(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, **fields}, default=str, sort_keys=True))


def _require(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ValueError(f"required environment variable {name} is missing or empty")
    return value


def answers(url: str, timeout: float, opener: Callable[..., Any] = urllib.request.urlopen) -> bool:
    """True when ``GET url`` answers with a status below 400."""
    request = urllib.request.Request(url, method="GET", headers={"User-Agent": "drsc-edge-probe"})
    try:
        with opener(request, timeout=timeout) as response:
            return 200 <= response.status < 400
    except urllib.error.HTTPError as error:  # an answer, but an error status
        log("probe_status", url=url, status=error.code)
        return False
    except (urllib.error.URLError, OSError, ValueError) as error:
        log("probe_failed", url=url, error=repr(error))
        return False


def handler(event: Mapping[str, Any], context: Any, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    env = os.environ if env is None else env
    url = _require(env, "TARGET_URL")
    if not url.startswith("https://") and not url.startswith("http://"):
        raise ValueError(f"TARGET_URL must be an http(s) URL, got {url!r}")
    namespace = _require(env, "METRIC_NAMESPACE")
    metric = _require(env, "METRIC_NAME")
    site = _require(env, "SITE")
    timeout = float(env.get("TIMEOUT_SECONDS", "").strip() or DEFAULT_TIMEOUT)
    ok = answers(url, timeout)
    make_client("cloudwatch").put_metric_data(
        Namespace=namespace,
        MetricData=[{
            "MetricName": metric,
            "Dimensions": [{"Name": "Site", "Value": site}],
            "Value": 1.0 if ok else 0.0,
            "Unit": "Count",
        }],
    )
    log("probe", url=url, healthy=ok)
    return {"healthy": ok}

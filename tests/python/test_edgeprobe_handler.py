"""Tests for assets/edgeprobe/handler.py (drsc's probe of the primary's public front door).

The HTTP request goes through an injected opener (no network); the CloudWatch
client is a botocore Stubber with pinned parameters, injected through the
handler's ``make_client`` seam, and a ``before-send`` hook blocks the network.
"""

from __future__ import annotations

import importlib.util
import io
import sys
import urllib.error
from pathlib import Path
from typing import Any, Iterator

import boto3
import pytest
from botocore.stub import Stubber

HANDLER_PATH = Path(__file__).resolve().parents[2] / "assets" / "edgeprobe" / "handler.py"
URL = "https://api-use1.bank.example.com/health"
ENV = {
    "TARGET_URL": URL,
    "METRIC_NAMESPACE": "drsc/transactions",
    "METRIC_NAME": "PrimaryFrontDoorReachable",
    "SITE": "transactions",
}


def _load() -> Any:
    spec = importlib.util.spec_from_file_location("drsc_edgeprobe_handler", HANDLER_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


mod = _load()


def _block_network(request: Any, **_: Any) -> None:
    raise AssertionError(f"unexpected network request to {request.url}")


@pytest.fixture(autouse=True)
def fake_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text("")
    for k, v in {"AWS_CONFIG_FILE": str(empty), "AWS_SHARED_CREDENTIALS_FILE": str(empty),
                 "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                 "AWS_DEFAULT_REGION": "us-west-2", "AWS_REGION": "us-west-2",
                 "AWS_EC2_METADATA_DISABLED": "true"}.items():
        monkeypatch.setenv(k, v)


@pytest.fixture
def cloudwatch(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    client = boto3.client("cloudwatch", region_name="us-west-2")
    client.meta.events.register("before-send", _block_network)
    stub = Stubber(client)
    monkeypatch.setattr(mod, "make_client", lambda service: client)
    with stub:
        yield stub
    stub.assert_no_pending_responses()


class Response(io.BytesIO):
    def __init__(self, status: int) -> None:
        super().__init__(b"ok")
        self.status = status


def opener_returning(status: int, seen: list[Any]) -> Any:
    def opener(request: Any, timeout: float) -> Response:
        seen.append((request.full_url, request.get_method(), timeout))
        return Response(status)
    return opener


def opener_raising(error: BaseException) -> Any:
    def opener(request: Any, timeout: float) -> Response:
        raise error
    return opener


def expect_metric(stub: Stubber, value: float) -> None:
    stub.add_response("put_metric_data", {}, expected_params={
        "Namespace": "drsc/transactions",
        "MetricData": [{"MetricName": "PrimaryFrontDoorReachable",
                        "Dimensions": [{"Name": "Site", "Value": "transactions"}],
                        "Value": value, "Unit": "Count"}],
    })


def run(monkeypatch: pytest.MonkeyPatch, opener: Any) -> dict[str, Any]:
    real = mod.answers
    monkeypatch.setattr(mod, "answers", lambda url, timeout: real(url, timeout, opener))
    return mod.handler({}, None, env=ENV)


def test_a_200_publishes_1(cloudwatch: Stubber, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    expect_metric(cloudwatch, 1.0)
    assert run(monkeypatch, opener_returning(200, seen)) == {"healthy": True}
    assert seen == [(URL, "GET", 5.0)]


@pytest.mark.parametrize("error", [
    urllib.error.HTTPError(URL, 503, "Service Unavailable", {}, None),  # type: ignore[arg-type]
    urllib.error.URLError("Name or service not known"),
    TimeoutError("timed out"),
    ConnectionResetError("reset"),
])
def test_no_answer_publishes_0(cloudwatch: Stubber, monkeypatch: pytest.MonkeyPatch,
                               error: BaseException) -> None:
    expect_metric(cloudwatch, 0.0)
    assert run(monkeypatch, opener_raising(error)) == {"healthy": False}


def test_a_5xx_status_publishes_0(cloudwatch: Stubber, monkeypatch: pytest.MonkeyPatch) -> None:
    expect_metric(cloudwatch, 0.0)
    assert run(monkeypatch, opener_returning(502, [])) == {"healthy": False}


@pytest.mark.parametrize("missing", ["TARGET_URL", "METRIC_NAMESPACE", "METRIC_NAME", "SITE"])
def test_missing_env_raises_before_publishing(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    env = {k: v for k, v in ENV.items() if k != missing}
    monkeypatch.setattr(mod, "answers", lambda url, timeout: True)
    monkeypatch.setattr(mod, "make_client", lambda s: pytest.fail("no client without config"))
    with pytest.raises(ValueError, match=missing):
        mod.handler({}, None, env=env)


def test_a_url_that_is_not_http_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="TARGET_URL"):
        mod.handler({}, None, env={**ENV, "TARGET_URL": "file:///etc/passwd"})

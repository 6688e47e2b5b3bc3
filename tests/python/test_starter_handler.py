"""Tests for assets/starter/handler.py (drsc's ARC Region switch starter Lambda).

Run with:  python -m pytest tests/python

A real ``arc-region-switch`` client is wrapped in a botocore Stubber and
injected through the handler's ``make_client`` seam; every stubbed call pins its
parameters with ``expected_params`` and a ``before-send`` hook blocks the network.
Shapes and enum values come from botocore's ``arc-region-switch`` service model
(``StartPlanExecution``: ``action`` activate, ``mode`` ungraceful;
``ExecutionState``), see
https://docs.aws.amazon.com/arc-region-switch/latest/api/API_StartPlanExecution.html.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

HANDLER_PATH = Path(__file__).resolve().parents[2] / "assets" / "starter" / "handler.py"

REGION = "us-west-2"
PLAN_ARN = "arn:aws:arc-region-switch::123456789012:plan/failover-plan-production-txn01:abc123"


def _load() -> Any:
    spec = importlib.util.spec_from_file_location("drsc_starter_handler", HANDLER_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


starter = _load()


@pytest.fixture(autouse=True)
def fake_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                 "AWS_ENDPOINT_URL", "PLAN_ARN", "TARGET_REGION"):
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "empty-aws-config"
    empty.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("PLAN_ARN", PLAN_ARN)
    monkeypatch.setenv("TARGET_REGION", REGION)


def _block_network(request: Any, **_: Any) -> None:
    raise AssertionError(f"unexpected network request to {request.url}")


class Stubs:
    def __init__(self) -> None:
        self.client = boto3.client("arc-region-switch", region_name=REGION)
        self.stub = Stubber(self.client)
        self.client.meta.events.register("before-send", _block_network)
        self.factory_calls: list[tuple[str, str | None]] = []

    def factory(self, service: str, region: str | None) -> Any:
        self.factory_calls.append((service, region))
        assert service == "arc-region-switch"
        return self.client


@pytest.fixture
def stubs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubs]:
    s = Stubs()
    monkeypatch.setattr(starter, "make_client", s.factory)
    with s.stub:
        yield s
    s.stub.assert_no_pending_responses()


def alarm_event(state: str) -> dict[str, Any]:
    message = {"AlarmName": "primary-unreachable-alarm-production-txn01", "NewStateValue": state}
    return {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": json.dumps(message)}}]}


def execution(state: str, action: str = "activate", region: str = REGION,
              started: int = 1) -> dict[str, Any]:
    return {
        "planArn": PLAN_ARN,
        "executionId": f"exec-{state}-{started}",
        "version": "1",
        "startTime": datetime(2026, 12, started, tzinfo=timezone.utc),
        "mode": "ungraceful",
        "executionState": state,
        "executionAction": action,
        "executionRegion": region,
    }


def expect_list(s: Stubs, items: list[dict[str, Any]]) -> None:
    s.stub.add_response("list_plan_executions", {"items": items}, {"planArn": PLAN_ARN})


def expect_start(s: Stubs) -> None:
    s.stub.add_response(
        "start_plan_execution",
        {"executionId": "exec-new", "plan": PLAN_ARN, "planVersion": "1", "activateRegion": REGION},
        {
            "planArn": PLAN_ARN,
            "targetRegion": REGION,
            "action": "activate",
            "mode": "ungraceful",
            "comment": starter.COMMENT,
        },
    )


def test_alarm_starts_an_ungraceful_activation_of_the_secondary(stubs: Stubs) -> None:
    expect_list(stubs, [])
    expect_start(stubs)
    result = starter.handler(alarm_event("ALARM"), None)
    assert result == {"started": True, "executionId": "exec-new"}
    # The regional data plane of the region being activated.
    assert stubs.factory_calls == [("arc-region-switch", REGION)]


def test_a_finished_activation_of_the_other_region_does_not_block(stubs: Stubs) -> None:
    expect_list(stubs, [execution("completed", region="us-east-1")])
    expect_start(stubs)
    assert starter.handler(alarm_event("ALARM"), None)["started"] is True


@pytest.mark.parametrize("state", ["pending", "inProgress", "pausedByFailedStep",
                                   "pausedByOperator", "pendingManualApproval"])
def test_does_nothing_while_an_execution_is_in_flight(stubs: Stubs, state: str) -> None:
    expect_list(stubs, [execution("completed", region="us-east-1", started=1),
                        execution(state, started=2)])
    result = starter.handler(alarm_event("ALARM"), None)
    assert result["started"] is False
    assert state in result["reason"]


def test_does_nothing_when_the_secondary_is_already_active(stubs: Stubs) -> None:
    expect_list(stubs, [execution("completed", region="us-east-1", started=1),
                        execution("completed", started=3)])
    result = starter.handler(alarm_event("ALARM"), None)
    assert result["started"] is False
    assert "already active" in result["reason"]


def test_in_flight_states_are_botocore_execution_states() -> None:
    model = boto3.client("arc-region-switch", region_name=REGION).meta.service_model
    states = set(model.shape_for("ExecutionState").enum)
    assert starter.IN_FLIGHT_STATES <= states
    assert starter.ACTIVATED_STATES <= states


def test_errors_are_raised_so_lambda_retries(stubs: Stubs) -> None:
    expect_list(stubs, [])
    stubs.stub.add_client_error("start_plan_execution", service_error_code="InternalServerException",
                                service_message="boom", http_status_code=500)
    with pytest.raises(ClientError):
        starter.handler(alarm_event("ALARM"), None)


def test_listing_errors_are_raised(stubs: Stubs) -> None:
    stubs.stub.add_client_error("list_plan_executions", service_error_code="AccessDeniedException",
                                http_status_code=403)
    with pytest.raises(ClientError):
        starter.handler(alarm_event("ALARM"), None)


@pytest.mark.parametrize("state", ["OK", "INSUFFICIENT_DATA"])
def test_other_alarm_states_are_ignored(stubs: Stubs, state: str) -> None:
    assert starter.handler(alarm_event(state), None)["started"] is False
    assert stubs.factory_calls == []


def test_direct_invocation_activates(stubs: Stubs) -> None:
    expect_list(stubs, [])
    expect_start(stubs)
    assert starter.handler({"action": "activate"}, None)["started"] is True


def test_paginates_executions(stubs: Stubs) -> None:
    stubs.stub.add_response("list_plan_executions", {"items": [], "nextToken": "t1"},
                            {"planArn": PLAN_ARN})
    stubs.stub.add_response("list_plan_executions", {"items": [execution("inProgress")]},
                            {"planArn": PLAN_ARN, "nextToken": "t1"})
    assert starter.handler(alarm_event("ALARM"), None)["started"] is False


@pytest.mark.parametrize("name,value", [("PLAN_ARN", ""), ("PLAN_ARN", "arn:aws:sns:us-west-2:1:x"),
                                        ("TARGET_REGION", "")])
def test_configuration_errors_fail_before_any_call(monkeypatch: pytest.MonkeyPatch,
                                                   stubs: Stubs, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError):
        starter.handler(alarm_event("ALARM"), None)
    assert stubs.factory_calls == []

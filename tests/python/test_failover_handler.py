"""Tests for assets/failover/handler.py (drsc's Aurora global database failover Lambda).

Run with:  python -m pytest tests/python

Real boto3 clients are wrapped in botocore Stubbers and injected through the
handler's ``make_client`` seam. Every stubbed call pins its parameters with
``expected_params``, so a wrong identifier / ARN / flag fails the test. Any
unqueued call raises, and a ``before-send`` hook guarantees nothing reaches the
network. Fake credentials and region come from the environment.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any, Iterator

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber, StubAssertionError

HANDLER_PATH = Path(__file__).resolve().parents[2] / "assets" / "failover" / "handler.py"

REGION = "us-west-2"
GLOBAL_ID = "drsc-app-global"
PRIMARY_ARN = "arn:aws:rds:us-east-1:123456789012:cluster:drsc-app-primary"
TARGET_ARN = "arn:aws:rds:us-west-2:123456789012:cluster:drsc-app-secondary"

BASE_ENV = {
    "GLOBAL_CLUSTER_ID": GLOBAL_ID,
    "TARGET_CLUSTER_ARN": TARGET_ARN,
    "ALLOW_DATA_LOSS": "true",
}
DNS_ENV = {
    "HOSTED_ZONE_ID": "Z0123456789ABCDEFGHIJ",
    "RECORD_NAME": "db.example.com",
    "RECORD_TTL": "30",
    "PRIMARY_SET_ID": "primary-us-east-1",
    "SECONDARY_SET_ID": "secondary-us-west-2",
    "PRIMARY_TARGET": "app-primary.cluster-abc.us-east-1.rds.amazonaws.com",
    "SECONDARY_TARGET": "app-secondary.cluster-def.us-west-2.rds.amazonaws.com",
    "PRIMARY_HEALTH_CHECK_ID": "11111111-2222-3333-4444-555555555555",
}
ALL_CONFIG_VARS = list(BASE_ENV) + list(DNS_ENV) + ["RECORD_TYPE"]


def _load_handler_module() -> Any:
    spec = importlib.util.spec_from_file_location("drsc_failover_handler", HANDLER_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations via sys.modules
    spec.loader.exec_module(module)
    return module


handler_mod = _load_handler_module()


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fake_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake credentials/region; isolate from any real AWS config on the machine."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                 "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_RDS", "AWS_ENDPOINT_URL_ROUTE_53", *ALL_CONFIG_VARS):
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
    for key, value in BASE_ENV.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def dns_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in DNS_ENV.items():
        monkeypatch.setenv(key, value)


def _block_network(request: Any, **_: Any) -> None:
    raise AssertionError(f"unexpected network request to {request.url}")


class Stubs:
    """Stubbed rds/route53 clients plus an ordered log of calls the handler made."""

    def __init__(self) -> None:
        self.rds = boto3.client("rds", region_name=REGION)
        self.route53 = boto3.client("route53")
        self.rds_stub = Stubber(self.rds)
        self.r53_stub = Stubber(self.route53)
        self.calls: list[str] = []
        self.factory_calls: list[tuple[str, str | None]] = []
        for client in (self.rds, self.route53):
            client.meta.events.register("before-send", _block_network)
            client.meta.events.register("before-parameter-build.*.*", self._record)

    def _record(self, model: Any, **_: Any) -> None:
        self.calls.append(model.name)

    def factory(self, service: str, region: str | None) -> Any:
        self.factory_calls.append((service, region))
        return {"rds": self.rds, "route53": self.route53}[service]

    def assert_no_pending_responses(self) -> None:
        self.rds_stub.assert_no_pending_responses()
        self.r53_stub.assert_no_pending_responses()


@pytest.fixture
def stubs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubs]:
    s = Stubs()
    monkeypatch.setattr(handler_mod, "make_client", s.factory)
    with s.rds_stub, s.r53_stub:
        yield s


# --------------------------------------------------------------------------
# Event and response builders
# --------------------------------------------------------------------------


def alarm_event(state: str) -> dict[str, Any]:
    message = {
        "AlarmName": "drsc-primary-unhealthy",
        "AlarmArn": "arn:aws:cloudwatch:us-west-2:123456789012:alarm:drsc-primary-unhealthy",
        "NewStateValue": state,
        "NewStateReason": "Threshold Crossed: 3 datapoints were less than the threshold (1.0).",
        "OldStateValue": "OK" if state == "ALARM" else "ALARM",
        "StateChangeTime": "2026-08-01T12:00:00.000+0000",
        "Region": "US West (Oregon)",
        "Trigger": {"MetricName": "PrimaryProbeSuccess", "Namespace": "drsc/dr"},
    }
    return {"Records": [{
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": "arn:aws:sns:us-west-2:123456789012:drsc-failover:abc",
        "Sns": {
            "Type": "Notification",
            "TopicArn": "arn:aws:sns:us-west-2:123456789012:drsc-failover",
            "Subject": f'{state}: "drsc-primary-unhealthy" in US West (Oregon)',
            "Message": json.dumps(message),
        },
    }]}


def global_cluster_response(writer: str = PRIMARY_ARN, failover_state: dict[str, Any] | None = None,
                            status: str = "available") -> dict[str, Any]:
    cluster: dict[str, Any] = {
        "GlobalClusterIdentifier": GLOBAL_ID,
        "GlobalClusterArn": f"arn:aws:rds::123456789012:global-cluster:{GLOBAL_ID}",
        "Status": status,
        "Engine": "aurora-postgresql",
        "EngineVersion": "14.9",
        "StorageEncrypted": True,
        "GlobalClusterMembers": [
            {"DBClusterArn": PRIMARY_ARN, "IsWriter": writer == PRIMARY_ARN,
             "Readers": [] if writer == PRIMARY_ARN else [PRIMARY_ARN]},
            {"DBClusterArn": TARGET_ARN, "IsWriter": writer == TARGET_ARN,
             "Readers": [] if writer == TARGET_ARN else [TARGET_ARN]},
        ],
    }
    if failover_state is not None:
        cluster["FailoverState"] = failover_state
    return {"GlobalClusters": [cluster]}


def expect_describe(stubs: Stubs, **kwargs: Any) -> None:
    stubs.rds_stub.add_response(
        "describe_global_clusters",
        global_cluster_response(**kwargs),
        expected_params={"GlobalClusterIdentifier": GLOBAL_ID},
    )


def expect_failover(stubs: Stubs, **flag: bool) -> None:
    stubs.rds_stub.add_response(
        "failover_global_cluster",
        {"GlobalCluster": {"GlobalClusterIdentifier": GLOBAL_ID, "Status": "failing-over"}},
        expected_params={"GlobalClusterIdentifier": GLOBAL_ID, "TargetDbClusterIdentifier": TARGET_ARN, **flag},
    )


EXPECTED_CHANGE_BATCH = {
    "Comment": "drsc failover: shift traffic to the secondary region",
    "Changes": [
        {"Action": "UPSERT", "ResourceRecordSet": {
            "Name": "db.example.com", "Type": "CNAME", "SetIdentifier": "primary-us-east-1",
            "Weight": 0, "TTL": 30,
            "ResourceRecords": [{"Value": "app-primary.cluster-abc.us-east-1.rds.amazonaws.com"}],
            "HealthCheckId": "11111111-2222-3333-4444-555555555555"}},
        {"Action": "UPSERT", "ResourceRecordSet": {
            "Name": "db.example.com", "Type": "CNAME", "SetIdentifier": "secondary-us-west-2",
            "Weight": 255, "TTL": 30,
            "ResourceRecords": [{"Value": "app-secondary.cluster-def.us-west-2.rds.amazonaws.com"}]}},
    ],
}


def expect_dns_shift(stubs: Stubs, change_batch: dict[str, Any] = EXPECTED_CHANGE_BATCH) -> None:
    stubs.r53_stub.add_response(
        "change_resource_record_sets",
        {"ChangeInfo": {"Id": "/change/C0123456789", "Status": "PENDING",
                        "SubmittedAt": "2026-08-01T12:00:05Z"}},
        expected_params={"HostedZoneId": "Z0123456789ABCDEFGHIJ", "ChangeBatch": change_batch},
    )


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------


def test_alarm_triggers_failover_with_data_loss(stubs: Stubs) -> None:
    expect_describe(stubs)
    expect_failover(stubs, AllowDataLoss=True)

    result = handler_mod.handler(alarm_event("ALARM"), None)

    assert result["status"] == "started"
    assert result["mode"] == "failover"
    assert result["previous_writer"] == PRIMARY_ARN
    assert result["dns_change_id"] is None
    assert stubs.calls == ["DescribeGlobalClusters", "FailoverGlobalCluster"]
    assert stubs.factory_calls == [("rds", REGION)]  # pinned to the Lambda's own region
    stubs.assert_no_pending_responses()


@pytest.mark.parametrize("state", ["OK", "INSUFFICIENT_DATA"])
def test_non_alarm_state_makes_no_api_calls(stubs: Stubs, state: str) -> None:
    result = handler_mod.handler(alarm_event(state), None)

    assert result["status"] == "ignored"
    assert state in result["trigger"]
    assert stubs.calls == []
    assert stubs.factory_calls == []
    stubs.assert_no_pending_responses()


def test_target_already_writer_is_noop(stubs: Stubs, dns_env: None) -> None:
    expect_describe(stubs, writer=TARGET_ARN)

    result = handler_mod.handler(alarm_event("ALARM"), None)

    assert result["status"] == "noop"
    assert result["reason"] == "target_already_writer"
    assert stubs.calls == ["DescribeGlobalClusters"]
    stubs.assert_no_pending_responses()


@pytest.mark.parametrize("status", ["pending", "failing-over", "switching-over", "cancelling"])
def test_operation_in_progress_is_noop(stubs: Stubs, status: str) -> None:
    expect_describe(stubs, failover_state={
        "Status": status, "FromDbClusterArn": PRIMARY_ARN, "ToDbClusterArn": TARGET_ARN,
        "IsDataLossAllowed": True,
    })

    result = handler_mod.handler({"action": "failover"}, None)

    assert result["status"] == "noop"
    assert result["reason"] == "operation_in_progress"
    assert result["failover_state"]["Status"] == status
    assert stubs.calls == ["DescribeGlobalClusters"]
    stubs.assert_no_pending_responses()


def test_global_status_failing_over_is_noop(stubs: Stubs) -> None:
    expect_describe(stubs, status="failing-over")

    result = handler_mod.handler(alarm_event("ALARM"), None)

    assert result["reason"] == "operation_in_progress"
    assert stubs.calls == ["DescribeGlobalClusters"]
    stubs.assert_no_pending_responses()


def test_switchover_action_uses_switchover_flag(stubs: Stubs) -> None:
    expect_describe(stubs)
    expect_failover(stubs, Switchover=True)

    result = handler_mod.handler({"action": "switchover"}, None)

    assert result["status"] == "started"
    assert result["mode"] == "switchover"
    stubs.assert_no_pending_responses()


def test_direct_failover_action_allows_data_loss(stubs: Stubs) -> None:
    expect_describe(stubs)
    expect_failover(stubs, AllowDataLoss=True)

    result = handler_mod.handler({"action": "failover"}, None)

    assert result["mode"] == "failover"
    stubs.assert_no_pending_responses()


def test_alarm_with_allow_data_loss_false_switches_over(stubs: Stubs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOW_DATA_LOSS", "false")
    expect_describe(stubs)
    expect_failover(stubs, Switchover=True)

    result = handler_mod.handler(alarm_event("ALARM"), None)

    assert result["mode"] == "switchover"
    stubs.assert_no_pending_responses()


def test_dns_shift_after_failover_exact_batch(stubs: Stubs, dns_env: None) -> None:
    expect_describe(stubs)
    expect_failover(stubs, AllowDataLoss=True)
    expect_dns_shift(stubs)

    result = handler_mod.handler(alarm_event("ALARM"), None)

    assert result["status"] == "started"
    assert result["dns_change_id"] == "/change/C0123456789"
    # Database failover is started before DNS is touched.
    assert stubs.calls == ["DescribeGlobalClusters", "FailoverGlobalCluster", "ChangeResourceRecordSets"]
    assert stubs.factory_calls == [("rds", REGION), ("route53", None)]
    stubs.assert_no_pending_responses()


def test_dns_shift_without_health_check_and_custom_type(stubs: Stubs, dns_env: None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRIMARY_HEALTH_CHECK_ID")
    monkeypatch.delenv("RECORD_TTL")
    monkeypatch.setenv("RECORD_TYPE", "A")
    monkeypatch.setenv("PRIMARY_TARGET", "10.0.0.10")
    monkeypatch.setenv("SECONDARY_TARGET", "10.1.0.10")
    batch = {
        "Comment": EXPECTED_CHANGE_BATCH["Comment"],
        "Changes": [
            {"Action": "UPSERT", "ResourceRecordSet": {
                "Name": "db.example.com", "Type": "A", "SetIdentifier": "primary-us-east-1",
                "Weight": 0, "TTL": 60, "ResourceRecords": [{"Value": "10.0.0.10"}]}},
            {"Action": "UPSERT", "ResourceRecordSet": {
                "Name": "db.example.com", "Type": "A", "SetIdentifier": "secondary-us-west-2",
                "Weight": 255, "TTL": 60, "ResourceRecords": [{"Value": "10.1.0.10"}]}},
        ],
    }
    expect_describe(stubs)
    expect_failover(stubs, Switchover=True)
    expect_dns_shift(stubs, batch)

    handler_mod.handler({"action": "switchover"}, None)

    stubs.assert_no_pending_responses()


def test_failover_api_error_is_raised_and_dns_untouched(stubs: Stubs, dns_env: None) -> None:
    expect_describe(stubs)
    stubs.rds_stub.add_client_error(
        "failover_global_cluster",
        service_error_code="InvalidGlobalClusterStateFault",
        service_message="The global cluster is not in a valid state",
        http_status_code=400,
        expected_params={"GlobalClusterIdentifier": GLOBAL_ID, "TargetDbClusterIdentifier": TARGET_ARN,
                         "AllowDataLoss": True},
    )

    with pytest.raises(ClientError) as excinfo:
        handler_mod.handler(alarm_event("ALARM"), None)

    assert excinfo.value.response["Error"]["Code"] == "InvalidGlobalClusterStateFault"
    assert "ChangeResourceRecordSets" not in stubs.calls
    stubs.assert_no_pending_responses()


def test_describe_api_error_is_raised(stubs: Stubs) -> None:
    stubs.rds_stub.add_client_error(
        "describe_global_clusters",
        service_error_code="GlobalClusterNotFoundFault",
        http_status_code=404,
        expected_params={"GlobalClusterIdentifier": GLOBAL_ID},
    )

    with pytest.raises(ClientError):
        handler_mod.handler({"action": "failover"}, None)

    stubs.assert_no_pending_responses()


def test_target_not_member_raises(stubs: Stubs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TARGET_CLUSTER_ARN", "arn:aws:rds:us-west-2:123456789012:cluster:some-other")
    expect_describe(stubs)

    with pytest.raises(handler_mod.FailoverError, match="not a member"):
        handler_mod.handler(alarm_event("ALARM"), None)

    assert stubs.calls == ["DescribeGlobalClusters"]
    stubs.assert_no_pending_responses()


@pytest.mark.parametrize("missing", ["GLOBAL_CLUSTER_ID", "TARGET_CLUSTER_ARN", "ALLOW_DATA_LOSS", "AWS_REGION"])
def test_missing_required_env_raises_value_error(stubs: Stubs, monkeypatch: pytest.MonkeyPatch,
                                                 missing: str) -> None:
    monkeypatch.delenv(missing)

    with pytest.raises(ValueError, match=missing):
        handler_mod.handler(alarm_event("ALARM"), None)

    assert stubs.calls == []
    stubs.assert_no_pending_responses()


@pytest.mark.parametrize("missing", ["RECORD_NAME", "PRIMARY_SET_ID", "SECONDARY_SET_ID",
                                     "PRIMARY_TARGET", "SECONDARY_TARGET"])
def test_incomplete_dns_config_raises_before_any_call(stubs: Stubs, dns_env: None,
                                                      monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    monkeypatch.delenv(missing)

    with pytest.raises(ValueError, match=missing):
        handler_mod.handler(alarm_event("ALARM"), None)

    assert stubs.calls == []
    stubs.assert_no_pending_responses()


@pytest.mark.parametrize("var,value", [
    ("ALLOW_DATA_LOSS", "yes"),
    ("TARGET_CLUSTER_ARN", "drsc-app-secondary"),
    ("RECORD_TTL", "sixty"),
])
def test_invalid_env_values_raise_value_error(stubs: Stubs, dns_env: None, monkeypatch: pytest.MonkeyPatch,
                                              var: str, value: str) -> None:
    monkeypatch.setenv(var, value)

    with pytest.raises(ValueError, match=var):
        handler_mod.handler(alarm_event("ALARM"), None)

    assert stubs.calls == []
    stubs.assert_no_pending_responses()


@pytest.mark.parametrize("event", [
    {"action": "promote"},
    {"foo": "bar"},
    {"Records": [{"Sns": {"Message": "not json"}}]},
    {"Records": [{"Sns": {"Message": json.dumps({"AlarmName": "x"})}}]},
])
def test_unrecognised_events_raise_value_error(stubs: Stubs, event: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        handler_mod.handler(event, None)

    assert stubs.calls == []
    stubs.assert_no_pending_responses()


def test_pinned_params_catch_wrong_global_cluster_id(stubs: Stubs, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guard on the guard: a handler sending a different identifier must fail the stub."""
    monkeypatch.setenv("GLOBAL_CLUSTER_ID", "some-other-global")
    expect_describe(stubs)

    with pytest.raises(StubAssertionError):
        handler_mod.handler(alarm_event("ALARM"), None)


def test_structured_json_logs(stubs: Stubs, capsys: pytest.CaptureFixture[str]) -> None:
    expect_describe(stubs)
    expect_failover(stubs, AllowDataLoss=True)

    handler_mod.handler(alarm_event("ALARM"), None)

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    events = [line["event"] for line in lines]
    assert events == ["invoked", "global_cluster_state", "failover_request", "result"]
    assert lines[-1]["status"] == "started"
    stubs.assert_no_pending_responses()

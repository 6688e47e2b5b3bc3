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
LEDGER = "ledger-aurora-production-txn01"
AUDIT = "audit-aurora-production-txn01"
LEDGER_PRIMARY = "arn:aws:rds:us-east-1:123456789012:cluster:ledger-aurora-use1-production-txn01"
LEDGER_TARGET = "arn:aws:rds:us-west-2:123456789012:cluster:ledger-aurora-usw2-production-txn01"
AUDIT_PRIMARY = "arn:aws:rds:us-east-1:123456789012:cluster:audit-aurora-use1-production-txn01"
AUDIT_TARGET = "arn:aws:rds:us-west-2:123456789012:cluster:audit-aurora-usw2-production-txn01"
TRIGGER = "primary-down-alarm-production-txn01"
ZONE = "Z0123456789ABCDEFGHIJ"

BASE_ENV = {
    "GLOBAL_CLUSTER_IDS": f"{LEDGER},{AUDIT}",
    "TARGET_CLUSTER_ARNS": f"{LEDGER_TARGET},{AUDIT_TARGET}",
    "ALLOW_DATA_LOSS": "true",
    "TRIGGER_ALARM": TRIGGER,
}
DNS_ENV = {
    "HOSTED_ZONE_ID": ZONE,
    "RECORD_NAME": "api.bank.example.com",
    "RECORD_TYPE": "A",
    "PRIMARY_SET_ID": "primary-use1",
    "SECONDARY_SET_ID": "secondary-usw2",
}
ALL_CONFIG_VARS = list(BASE_ENV) + list(DNS_ENV) + ["GLOBAL_CLUSTER_ID", "TARGET_CLUSTER_ARN"]


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


def alarm_event(state: str, name: str = TRIGGER) -> dict[str, Any]:
    message = {
        "AlarmName": name,
        "AlarmArn": f"arn:aws:cloudwatch:us-west-2:123456789012:alarm:{name}",
        "NewStateValue": state,
        "NewStateReason": "Composite alarm rule is true",
        "OldStateValue": "OK" if state == "ALARM" else "ALARM",
        "StateChangeTime": "2026-08-01T12:00:00.000+0000",
        "Region": "US West (Oregon)",
    }
    return {"Records": [{
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": "arn:aws:sns:us-west-2:123456789012:failover-topic:abc",
        "Sns": {
            "Type": "Notification",
            "TopicArn": "arn:aws:sns:us-west-2:123456789012:failover-topic",
            "Subject": f'{state}: "{name}" in US West (Oregon)',
            "Message": json.dumps(message),
        },
    }]}


def global_cluster_response(global_id: str, primary: str, target: str, writer: str | None = None,
                            failover_state: dict[str, Any] | None = None,
                            status: str = "available") -> dict[str, Any]:
    writer = primary if writer is None else writer
    cluster: dict[str, Any] = {
        "GlobalClusterIdentifier": global_id,
        "GlobalClusterArn": f"arn:aws:rds::123456789012:global-cluster:{global_id}",
        "Status": status,
        "Engine": "aurora-postgresql",
        "EngineVersion": "16.6",
        "StorageEncrypted": True,
        "GlobalClusterMembers": [
            {"DBClusterArn": primary, "IsWriter": writer == primary},
            {"DBClusterArn": target, "IsWriter": writer == target},
        ],
    }
    if failover_state is not None:
        cluster["FailoverState"] = failover_state
    return {"GlobalClusters": [cluster]}


DBS = {LEDGER: (LEDGER_PRIMARY, LEDGER_TARGET), AUDIT: (AUDIT_PRIMARY, AUDIT_TARGET)}


def expect_describe(stubs: Stubs, global_id: str, **kwargs: Any) -> None:
    primary, target = DBS[global_id]
    stubs.rds_stub.add_response(
        "describe_global_clusters",
        global_cluster_response(global_id, primary, target, **kwargs),
        expected_params={"GlobalClusterIdentifier": global_id},
    )


def expect_failover(stubs: Stubs, global_id: str, **flag: bool) -> None:
    stubs.rds_stub.add_response(
        "failover_global_cluster",
        {"GlobalCluster": {"GlobalClusterIdentifier": global_id, "Status": "failing-over"}},
        expected_params={"GlobalClusterIdentifier": global_id,
                         "TargetDbClusterIdentifier": DBS[global_id][1], **flag},
    )


def alias_set(set_id: str, weight: int, dns_name: str, hc: str) -> dict[str, Any]:
    return {
        "Name": "api.bank.example.com.", "Type": "A", "SetIdentifier": set_id, "Weight": weight,
        "AliasTarget": {"HostedZoneId": "Z1UJRXOUMOOFQ8", "DNSName": dns_name,
                        "EvaluateTargetHealth": False},
        "HealthCheckId": hc,
    }


PRIMARY_HC = "11111111-2222-3333-4444-555555555555"
SECONDARY_HC = "66666666-7777-8888-9999-000000000000"
PRIMARY_DOOR = "d-abc.execute-api.us-east-1.amazonaws.com."
SECONDARY_DOOR = "d-def.execute-api.us-west-2.amazonaws.com."


def record_sets(primary_weight: int = 100, secondary_weight: int = 0) -> list[dict[str, Any]]:
    return [
        alias_set("primary-use1", primary_weight, PRIMARY_DOOR, PRIMARY_HC),
        alias_set("secondary-usw2", secondary_weight, SECONDARY_DOOR, SECONDARY_HC),
        # The next record in the zone's order: not ours.
        {"Name": "www.bank.example.com.", "Type": "A", "TTL": 60,
         "ResourceRecords": [{"Value": "192.0.2.1"}]},
    ]


def expect_list(stubs: Stubs, sets: list[dict[str, Any]]) -> None:
    stubs.r53_stub.add_response(
        "list_resource_record_sets",
        {"ResourceRecordSets": sets, "IsTruncated": False, "MaxItems": "100"},
        expected_params={"HostedZoneId": ZONE, "StartRecordName": "api.bank.example.com",
                         "StartRecordType": "A"},
    )


EXPECTED_CHANGE_BATCH = {
    "Comment": "drsc failover: shift traffic to the secondary region",
    "Changes": [
        {"Action": "UPSERT", "ResourceRecordSet": alias_set("primary-use1", 0, PRIMARY_DOOR, PRIMARY_HC)},
        {"Action": "UPSERT", "ResourceRecordSet": alias_set("secondary-usw2", 100, SECONDARY_DOOR, SECONDARY_HC)},
    ],
}


def expect_change(stubs: Stubs, batch: dict[str, Any] = EXPECTED_CHANGE_BATCH) -> None:
    stubs.r53_stub.add_response(
        "change_resource_record_sets",
        {"ChangeInfo": {"Id": "/change/C0123456789", "Status": "PENDING",
                        "SubmittedAt": "2026-08-01T12:00:05Z"}},
        expected_params={"HostedZoneId": ZONE, "ChangeBatch": batch},
    )


def expect_change_error(stubs: Stubs) -> None:
    stubs.r53_stub.add_client_error(
        "change_resource_record_sets",
        service_error_code="ServiceUnavailable",
        http_status_code=503,
        expected_params={"HostedZoneId": ZONE, "ChangeBatch": EXPECTED_CHANGE_BATCH},
    )


# --------------------------------------------------------------------------
# Both databases promoted in one invocation
# --------------------------------------------------------------------------


def test_composite_alarm_promotes_every_database(stubs: Stubs) -> None:
    expect_describe(stubs, LEDGER)
    expect_failover(stubs, LEDGER, AllowDataLoss=True)
    expect_describe(stubs, AUDIT)
    expect_failover(stubs, AUDIT, AllowDataLoss=True)

    result = handler_mod.handler(alarm_event("ALARM"), None)

    assert [d["status"] for d in result["databases"]] == ["started", "started"]
    assert [d["global_cluster_id"] for d in result["databases"]] == [LEDGER, AUDIT]
    assert result["dns"] is None
    assert stubs.calls == ["DescribeGlobalClusters", "FailoverGlobalCluster"] * 2
    assert stubs.factory_calls == [("rds", REGION)]  # pinned to the Lambda's own region
    stubs.assert_no_pending_responses()


def test_one_database_already_promoted_the_other_still_fails_over(stubs: Stubs) -> None:
    expect_describe(stubs, LEDGER, writer=LEDGER_TARGET)
    expect_describe(stubs, AUDIT)
    expect_failover(stubs, AUDIT, AllowDataLoss=True)

    result = handler_mod.handler(alarm_event("ALARM"), None)

    assert result["databases"][0]["reason"] == "target_already_writer"
    assert result["databases"][1]["status"] == "started"
    stubs.assert_no_pending_responses()


def test_an_error_on_one_database_does_not_stop_the_other(stubs: Stubs) -> None:
    expect_describe(stubs, LEDGER)
    stubs.rds_stub.add_client_error(
        "failover_global_cluster", service_error_code="InvalidGlobalClusterStateFault",
        http_status_code=400,
        expected_params={"GlobalClusterIdentifier": LEDGER, "TargetDbClusterIdentifier": LEDGER_TARGET,
                         "AllowDataLoss": True},
    )
    expect_describe(stubs, AUDIT)
    expect_failover(stubs, AUDIT, AllowDataLoss=True)

    with pytest.raises(handler_mod.FailoverError, match="InvalidGlobalClusterStateFault"):
        handler_mod.handler(alarm_event("ALARM"), None)

    assert stubs.calls.count("FailoverGlobalCluster") == 2
    stubs.assert_no_pending_responses()


@pytest.mark.parametrize("status", ["pending", "failing-over", "switching-over", "cancelling"])
def test_operation_in_progress_is_noop(stubs: Stubs, status: str) -> None:
    for db in (LEDGER, AUDIT):
        expect_describe(stubs, db, failover_state={"Status": status, "IsDataLossAllowed": True})

    result = handler_mod.handler({"action": "failover"}, None)

    assert {d["reason"] for d in result["databases"]} == {"operation_in_progress"}
    assert stubs.calls == ["DescribeGlobalClusters"] * 2
    stubs.assert_no_pending_responses()


def test_switchover_action_and_no_data_loss_switch_over(stubs: Stubs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOW_DATA_LOSS", "false")
    for db in (LEDGER, AUDIT):
        expect_describe(stubs, db)
        expect_failover(stubs, db, Switchover=True)

    result = handler_mod.handler(alarm_event("ALARM"), None)

    assert result["mode"] == "switchover"
    stubs.assert_no_pending_responses()


def test_target_not_member_raises(stubs: Stubs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLOBAL_CLUSTER_IDS", LEDGER)
    monkeypatch.setenv("TARGET_CLUSTER_ARNS", "arn:aws:rds:us-west-2:123456789012:cluster:some-other")
    expect_describe(stubs, LEDGER)

    with pytest.raises(handler_mod.FailoverError, match="not a member"):
        handler_mod.handler(alarm_event("ALARM"), None)

    stubs.assert_no_pending_responses()


# --------------------------------------------------------------------------
# A single signal does not fail over
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["primary-unreachable-alarm-production-txn01",
                                  "front-door-unreachable-alarm-production-txn01"])
def test_one_signal_alone_does_not_fail_over(stubs: Stubs, dns_env: None, name: str) -> None:
    result = handler_mod.handler(alarm_event("ALARM", name), None)

    assert result["status"] == "ignored"
    assert stubs.calls == []
    assert stubs.factory_calls == []


@pytest.mark.parametrize("state", ["OK", "INSUFFICIENT_DATA"])
def test_non_alarm_state_makes_no_api_calls(stubs: Stubs, state: str) -> None:
    result = handler_mod.handler(alarm_event(state), None)

    assert result["status"] == "ignored"
    assert state in result["trigger"]
    assert stubs.calls == []


# --------------------------------------------------------------------------
# DNS: idempotent, retried on every invocation, independent of the databases
# --------------------------------------------------------------------------


def test_dns_upserts_the_alias_weighted_records(stubs: Stubs, dns_env: None) -> None:
    for db in (LEDGER, AUDIT):
        expect_describe(stubs, db)
        expect_failover(stubs, db, AllowDataLoss=True)
    expect_list(stubs, record_sets())
    expect_change(stubs)

    result = handler_mod.handler(alarm_event("ALARM"), None)

    assert result["dns"] == {"status": "submitted", "change_id": "/change/C0123456789"}
    assert stubs.calls[-2:] == ["ListResourceRecordSets", "ChangeResourceRecordSets"]
    assert stubs.factory_calls == [("rds", REGION), ("route53", None)]
    stubs.assert_no_pending_responses()


def test_dns_runs_even_when_every_database_is_already_promoted(stubs: Stubs, dns_env: None) -> None:
    """A DNS change that failed after an earlier promotion is made by the next invocation."""
    expect_describe(stubs, LEDGER, writer=LEDGER_TARGET)
    expect_describe(stubs, AUDIT, writer=AUDIT_TARGET)
    expect_list(stubs, record_sets())
    expect_change(stubs)

    result = handler_mod.handler(alarm_event("ALARM"), None)

    assert {d["status"] for d in result["databases"]} == {"noop"}
    assert result["dns"]["status"] == "submitted"
    assert "FailoverGlobalCluster" not in stubs.calls
    stubs.assert_no_pending_responses()


def test_dns_already_shifted_is_noop(stubs: Stubs, dns_env: None) -> None:
    expect_describe(stubs, LEDGER, writer=LEDGER_TARGET)
    expect_describe(stubs, AUDIT, writer=AUDIT_TARGET)
    expect_list(stubs, record_sets(primary_weight=0, secondary_weight=100))

    result = handler_mod.handler(alarm_event("ALARM"), None)

    assert result["dns"] == {"status": "noop", "change_id": None}
    assert "ChangeResourceRecordSets" not in stubs.calls
    stubs.assert_no_pending_responses()


def test_dns_runs_even_when_a_database_fails(stubs: Stubs, dns_env: None) -> None:
    stubs.rds_stub.add_client_error("describe_global_clusters", service_error_code="Throttling",
                                    http_status_code=400,
                                    expected_params={"GlobalClusterIdentifier": LEDGER})
    expect_describe(stubs, AUDIT)
    expect_failover(stubs, AUDIT, AllowDataLoss=True)
    expect_list(stubs, record_sets())
    expect_change(stubs)

    with pytest.raises(handler_mod.FailoverError, match="Throttling"):
        handler_mod.handler(alarm_event("ALARM"), None)

    assert "ChangeResourceRecordSets" in stubs.calls
    stubs.assert_no_pending_responses()


def test_failed_dns_change_raises_and_is_retried_by_the_next_invocation(stubs: Stubs, dns_env: None) -> None:
    for db in (LEDGER, AUDIT):
        expect_describe(stubs, db)
        expect_failover(stubs, db, AllowDataLoss=True)
    expect_list(stubs, record_sets())
    expect_change_error(stubs)

    with pytest.raises(handler_mod.FailoverError, match="dns: ClientError"):
        handler_mod.handler(alarm_event("ALARM"), None)

    # The retry: the databases are promoted now, the DNS change is made again.
    for db in (LEDGER, AUDIT):
        expect_describe(stubs, db, writer=DBS[db][1])
    expect_list(stubs, record_sets())
    expect_change(stubs)

    result = handler_mod.handler(alarm_event("ALARM"), None)

    assert result["dns"]["status"] == "submitted"
    stubs.assert_no_pending_responses()


def test_missing_weighted_set_raises(stubs: Stubs, dns_env: None) -> None:
    for db in (LEDGER, AUDIT):
        expect_describe(stubs, db, writer=DBS[db][1])
    expect_list(stubs, record_sets()[:1])

    with pytest.raises(handler_mod.FailoverError, match="secondary-usw2"):
        handler_mod.handler(alarm_event("ALARM"), None)

    stubs.assert_no_pending_responses()


# --------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["GLOBAL_CLUSTER_IDS", "TARGET_CLUSTER_ARNS", "ALLOW_DATA_LOSS", "AWS_REGION"])
def test_missing_required_env_raises_value_error(stubs: Stubs, monkeypatch: pytest.MonkeyPatch,
                                                 missing: str) -> None:
    monkeypatch.delenv(missing)

    with pytest.raises(ValueError, match=missing):
        handler_mod.handler(alarm_event("ALARM"), None)

    assert stubs.calls == []


@pytest.mark.parametrize("missing", ["RECORD_NAME", "RECORD_TYPE", "PRIMARY_SET_ID", "SECONDARY_SET_ID"])
def test_incomplete_dns_config_raises_before_any_call(stubs: Stubs, dns_env: None,
                                                      monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    monkeypatch.delenv(missing)

    with pytest.raises(ValueError, match=missing):
        handler_mod.handler(alarm_event("ALARM"), None)

    assert stubs.calls == []


@pytest.mark.parametrize("var,value", [
    ("ALLOW_DATA_LOSS", "yes"),
    ("TARGET_CLUSTER_ARNS", "ledger-aurora-usw2"),
    ("TARGET_CLUSTER_ARNS", LEDGER_TARGET),  # one target for two databases
    ("GLOBAL_CLUSTER_IDS", f"{LEDGER},"),
])
def test_invalid_env_values_raise_value_error(stubs: Stubs, monkeypatch: pytest.MonkeyPatch,
                                              var: str, value: str) -> None:
    monkeypatch.setenv(var, value)

    with pytest.raises(ValueError):
        handler_mod.handler(alarm_event("ALARM"), None)

    assert stubs.calls == []


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


def test_pinned_params_catch_wrong_global_cluster_id(stubs: Stubs, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guard on the guard: a handler sending a different identifier must fail the stub."""
    monkeypatch.setenv("GLOBAL_CLUSTER_IDS", f"some-other-global,{AUDIT}")
    expect_describe(stubs, LEDGER)
    expect_describe(stubs, AUDIT, writer=AUDIT_TARGET)

    with pytest.raises(handler_mod.FailoverError, match="StubAssertionError|Expected"):
        handler_mod.handler(alarm_event("ALARM"), None)


def test_structured_json_logs(stubs: Stubs, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GLOBAL_CLUSTER_IDS", LEDGER)
    monkeypatch.setenv("TARGET_CLUSTER_ARNS", LEDGER_TARGET)
    expect_describe(stubs, LEDGER)
    expect_failover(stubs, LEDGER, AllowDataLoss=True)

    handler_mod.handler(alarm_event("ALARM"), None)

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    events = [line["event"] for line in lines]
    assert events == ["invoked", "global_cluster_state", "failover_request", "result"]
    assert lines[-1]["status"] == "done"
    stubs.assert_no_pending_responses()

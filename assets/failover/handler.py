"""drsc failover automation for an Aurora PostgreSQL global database.

Deployed by drsc as a Lambda function in the *secondary* region (us-west-2).
Lambda handler setting: ``handler.handler``. Runtime: python3.12 (standard
library + the runtime-provided boto3 only).

Triggers
--------
* SNS notification of a CloudWatch alarm (in the secondary region) saying the
  primary is unhealthy. Only ``NewStateValue == "ALARM"`` acts; ``OK`` and
  ``INSUFFICIENT_DATA`` are ignored.
* Direct invocation ``{"action": "failover"}`` or ``{"action": "switchover"}``
  (drills / planned operations).

What it does
------------
1. ``rds:DescribeGlobalClusters`` to find the current writer and any operation
   already in flight. If the target is already the writer, or a failover /
   switchover is in progress, it does nothing (idempotent).
2. ``rds:FailoverGlobalCluster`` targeting ``TARGET_CLUSTER_ARN`` with either
   ``AllowDataLoss=True`` (failover) or ``Switchover=True`` (switchover; used
   for the ``switchover`` action and whenever ``ALLOW_DATA_LOSS`` is false).
3. Optionally (``HOSTED_ZONE_ID`` set) one ``route53:ChangeResourceRecordSets``
   batch that UPSERTs the primary weighted record to weight 0 and the
   secondary weighted record to weight 255.

API errors are logged and re-raised so the function's ``Errors`` metric (and
any alarm on it) fires. Configuration errors raise ``ValueError`` before any
AWS call is made, on every invocation (including ignored OK notifications), so
a misconfigured deployment is noticed before it is needed.

Environment contract
--------------------
Required: ``AWS_REGION`` (set by Lambda), ``GLOBAL_CLUSTER_ID``,
``TARGET_CLUSTER_ARN``, ``ALLOW_DATA_LOSS`` ("true" / "false").
DNS (all optional unless ``HOSTED_ZONE_ID`` is set): ``HOSTED_ZONE_ID``,
``RECORD_NAME``, ``RECORD_TYPE`` (default ``CNAME``), ``RECORD_TTL`` (default
60), ``PRIMARY_SET_ID``, ``SECONDARY_SET_ID``, ``PRIMARY_TARGET``,
``SECONDARY_TARGET``, ``PRIMARY_HEALTH_CHECK_ID`` (optional).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any, Mapping

import boto3
from botocore.config import Config

# Statuses of GlobalCluster.FailoverState.Status that mean an operation is in
# flight (RDS API reference, FailoverState).
IN_PROGRESS_STATUSES = frozenset({"pending", "failing-over", "switching-over", "cancelling"})
# GlobalCluster.Status values that also indicate an operation in flight.
BUSY_GLOBAL_STATUSES = frozenset({"failing-over", "switching-over"})

PRIMARY_WEIGHT_AFTER = 0
SECONDARY_WEIGHT_AFTER = 255
DEFAULT_RECORD_TYPE = "CNAME"
DEFAULT_RECORD_TTL = 60

_CLUSTER_ARN_RE = re.compile(r"^arn:aws[a-z-]*:rds:([a-z0-9-]+):\d{12}:cluster:[A-Za-z][A-Za-z0-9-]*$")

_BOTO_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 5},
    connect_timeout=5,
    read_timeout=30,
)


class FailoverError(RuntimeError):
    """The global cluster is not in a state this function can act on."""


@dataclass(frozen=True)
class DnsConfig:
    hosted_zone_id: str
    record_name: str
    record_type: str
    ttl: int
    primary_set_id: str
    secondary_set_id: str
    primary_target: str
    secondary_target: str
    primary_health_check_id: str | None


@dataclass(frozen=True)
class FailoverConfig:
    region: str
    global_cluster_id: str
    target_cluster_arn: str
    allow_data_loss: bool
    dns: DnsConfig | None


# --------------------------------------------------------------------------
# Seams and small helpers
# --------------------------------------------------------------------------


def make_client(service: str, region: str | None) -> Any:
    """Create a boto3 client. Tests replace this function to inject stubs."""
    return boto3.client(service, region_name=region, config=_BOTO_CONFIG)


def log(event: str, **fields: Any) -> None:
    """Write one structured JSON log line (CloudWatch Logs friendly)."""
    print(json.dumps({"event": event, **fields}, default=str, sort_keys=True))


def _require(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ValueError(f"required environment variable {name} is missing or empty")
    return value


def _parse_bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise ValueError(f"environment variable {name} must be 'true' or 'false', got {raw!r}")


def _parse_ttl(raw: str | None) -> int:
    if raw is None or not raw.strip():
        return DEFAULT_RECORD_TTL
    try:
        ttl = int(raw)
    except ValueError:
        raise ValueError(f"environment variable RECORD_TTL must be an integer, got {raw!r}") from None
    if not 0 <= ttl <= 2147483647:
        raise ValueError(f"environment variable RECORD_TTL out of range: {ttl}")
    return ttl


def load_dns_config(env: Mapping[str, str]) -> DnsConfig | None:
    """DNS weight shift is enabled iff HOSTED_ZONE_ID is set; then the rest is required."""
    if not env.get("HOSTED_ZONE_ID", "").strip():
        return None
    return DnsConfig(
        hosted_zone_id=_require(env, "HOSTED_ZONE_ID"),
        record_name=_require(env, "RECORD_NAME"),
        record_type=env.get("RECORD_TYPE", "").strip() or DEFAULT_RECORD_TYPE,
        ttl=_parse_ttl(env.get("RECORD_TTL")),
        primary_set_id=_require(env, "PRIMARY_SET_ID"),
        secondary_set_id=_require(env, "SECONDARY_SET_ID"),
        primary_target=_require(env, "PRIMARY_TARGET"),
        secondary_target=_require(env, "SECONDARY_TARGET"),
        primary_health_check_id=env.get("PRIMARY_HEALTH_CHECK_ID", "").strip() or None,
    )


def load_config(env: Mapping[str, str] | None = None) -> FailoverConfig:
    """Read and validate the environment. Raises ValueError on any problem."""
    env = os.environ if env is None else env
    region = _require(env, "AWS_REGION")
    target = _require(env, "TARGET_CLUSTER_ARN")
    match = _CLUSTER_ARN_RE.match(target)
    if match is None:
        raise ValueError(
            "TARGET_CLUSTER_ARN must be an RDS cluster ARN "
            f"(arn:aws:rds:<region>:<account>:cluster:<id>), got {target!r}"
        )
    if match.group(1) != region:
        # Not fatal (the API accepts a cross-region target ARN), but unexpected
        # for drsc's layout where the function runs next to the cluster it promotes.
        log("config_warning", reason="target_region_differs_from_function_region",
            target_region=match.group(1), function_region=region)
    return FailoverConfig(
        region=region,
        global_cluster_id=_require(env, "GLOBAL_CLUSTER_ID"),
        target_cluster_arn=target,
        allow_data_loss=_parse_bool("ALLOW_DATA_LOSS", _require(env, "ALLOW_DATA_LOSS")),
        dns=load_dns_config(env),
    )


# --------------------------------------------------------------------------
# Event parsing
# --------------------------------------------------------------------------


def parse_trigger(event: Mapping[str, Any]) -> tuple[str | None, str]:
    """Return (requested action or None to ignore, human-readable trigger description)."""
    if "action" in event:
        action = event["action"]
        if action not in ("failover", "switchover"):
            raise ValueError(f"unsupported action {action!r}; expected 'failover' or 'switchover'")
        return action, f"direct:{action}"

    records = event.get("Records")
    if isinstance(records, list) and records and isinstance(records[0], Mapping) and "Sns" in records[0]:
        raw_message = records[0]["Sns"].get("Message", "")
        try:
            message = json.loads(raw_message)
        except (TypeError, json.JSONDecodeError) as exc:
            raise ValueError(f"SNS message is not CloudWatch alarm JSON: {exc}") from None
        if not isinstance(message, Mapping) or "NewStateValue" not in message:
            raise ValueError("SNS message has no NewStateValue; is it a CloudWatch alarm notification?")
        state = message["NewStateValue"]
        description = f"alarm:{message.get('AlarmName', '?')}:{state}"
        return ("failover" if state == "ALARM" else None), description

    raise ValueError("unrecognised event: expected an SNS alarm notification or {'action': ...}")


# --------------------------------------------------------------------------
# RDS and Route 53 steps
# --------------------------------------------------------------------------


def describe_global_cluster(rds: Any, global_cluster_id: str) -> dict[str, Any]:
    response = rds.describe_global_clusters(GlobalClusterIdentifier=global_cluster_id)
    clusters = response.get("GlobalClusters", [])
    if len(clusters) != 1:
        raise FailoverError(f"expected exactly one global cluster {global_cluster_id!r}, got {len(clusters)}")
    return clusters[0]


def current_writer(global_cluster: Mapping[str, Any]) -> str | None:
    for member in global_cluster.get("GlobalClusterMembers", []):
        if member.get("IsWriter"):
            return member.get("DBClusterArn")
    return None


def operation_in_progress(global_cluster: Mapping[str, Any]) -> bool:
    state = global_cluster.get("FailoverState") or {}
    if state.get("Status") in IN_PROGRESS_STATUSES:
        return True
    return global_cluster.get("Status") in BUSY_GLOBAL_STATUSES


def start_failover(rds: Any, config: FailoverConfig, mode: str) -> None:
    params: dict[str, Any] = {
        "GlobalClusterIdentifier": config.global_cluster_id,
        "TargetDbClusterIdentifier": config.target_cluster_arn,
    }
    if mode == "failover":
        params["AllowDataLoss"] = True
    else:
        params["Switchover"] = True
    log("failover_request", mode=mode, params=params)
    rds.failover_global_cluster(**params)


def _weighted_record(dns: DnsConfig, set_id: str, target: str, weight: int,
                     health_check_id: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "Name": dns.record_name,
        "Type": dns.record_type,
        "SetIdentifier": set_id,
        "Weight": weight,
        "TTL": dns.ttl,
        "ResourceRecords": [{"Value": target}],
    }
    if health_check_id:
        record["HealthCheckId"] = health_check_id
    return record


def dns_change_batch(dns: DnsConfig) -> dict[str, Any]:
    """One atomic batch: primary -> weight 0, secondary -> weight 255."""
    return {
        "Comment": "drsc failover: shift traffic to the secondary region",
        "Changes": [
            {"Action": "UPSERT", "ResourceRecordSet": _weighted_record(
                dns, dns.primary_set_id, dns.primary_target, PRIMARY_WEIGHT_AFTER,
                dns.primary_health_check_id)},
            {"Action": "UPSERT", "ResourceRecordSet": _weighted_record(
                dns, dns.secondary_set_id, dns.secondary_target, SECONDARY_WEIGHT_AFTER, None)},
        ],
    }


def shift_dns(route53: Any, dns: DnsConfig) -> str:
    response = route53.change_resource_record_sets(
        HostedZoneId=dns.hosted_zone_id, ChangeBatch=dns_change_batch(dns)
    )
    change_id = response["ChangeInfo"]["Id"]
    log("dns_shift_submitted", hosted_zone_id=dns.hosted_zone_id, record_name=dns.record_name,
        change_id=change_id, status=response["ChangeInfo"].get("Status"))
    return change_id


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def run(config: FailoverConfig, action: str) -> dict[str, Any]:
    mode = "failover" if action == "failover" and config.allow_data_loss else "switchover"
    base = {"global_cluster_id": config.global_cluster_id, "target_cluster_arn": config.target_cluster_arn}

    rds = make_client("rds", config.region)
    global_cluster = describe_global_cluster(rds, config.global_cluster_id)
    members = [m.get("DBClusterArn") for m in global_cluster.get("GlobalClusterMembers", [])]
    writer = current_writer(global_cluster)
    log("global_cluster_state", writer=writer, members=members, status=global_cluster.get("Status"),
        failover_state=global_cluster.get("FailoverState"))

    if writer == config.target_cluster_arn:
        return {"status": "noop", "reason": "target_already_writer", "writer": writer, **base}
    if operation_in_progress(global_cluster):
        return {"status": "noop", "reason": "operation_in_progress", "writer": writer,
                "failover_state": global_cluster.get("FailoverState"),
                "global_status": global_cluster.get("Status"), **base}
    if config.target_cluster_arn not in members:
        raise FailoverError(
            f"target {config.target_cluster_arn} is not a member of global cluster "
            f"{config.global_cluster_id} (members: {members})"
        )

    start_failover(rds, config, mode)
    result: dict[str, Any] = {"status": "started", "mode": mode, "previous_writer": writer,
                              "dns_change_id": None, **base}
    if config.dns is not None:
        result["dns_change_id"] = shift_dns(make_client("route53", None), config.dns)
    return result


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    config = load_config()
    action, trigger = parse_trigger(event)
    log("invoked", trigger=trigger, action=action,
        request_id=getattr(context, "aws_request_id", None))

    if action is None:
        result: dict[str, Any] = {"status": "ignored", "reason": "alarm_state_not_ALARM", "trigger": trigger}
        log("result", **result)
        return result

    try:
        result = run(config, action)
    except Exception as exc:  # log, then re-raise so the Lambda Errors alarm fires
        log("error", trigger=trigger, error_type=type(exc).__name__, error=str(exc))
        raise
    result["trigger"] = trigger
    log("result", **result)
    return result

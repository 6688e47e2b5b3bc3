"""drsc failover automation (the Lambda engine, ``engine = lambda``).

Deployed by drsc as a Lambda function in the *secondary* region. Lambda
handler setting: ``handler.handler``. Runtime: python3.12 (standard library +
the runtime-provided boto3 only).

Triggers
--------
* SNS notification of drsc's failover alarm (``TRIGGER_ALARM``, in the
  secondary region). Only ``NewStateValue == "ALARM"`` of that alarm acts. With
  DNS, that alarm is a CloudWatch *composite* alarm that is in ALARM only when
  both the peering probe and the probe of the primary's public front door
  fail: a notification of any other alarm (one signal alone) is ignored.
* Direct invocation ``{"action": "failover"}`` or ``{"action": "switchover"}``
  (drills / planned operations).

What it does, on every invocation that acts
-------------------------------------------
1. For **every** global database of the site (``GLOBAL_CLUSTER_IDS`` paired
   with ``TARGET_CLUSTER_ARNS``): ``rds:DescribeGlobalClusters``; if the target
   is already the writer or an operation is in flight, nothing; otherwise
   ``rds:FailoverGlobalCluster`` with ``AllowDataLoss=True`` (failover) or
   ``Switchover=True`` (the ``switchover`` action, or ``ALLOW_DATA_LOSS`` false).
   A failure of one database does not stop the others.
2. Independently of the databases' state (``HOSTED_ZONE_ID`` set): reads the two
   weighted record sets (``route53:ListResourceRecordSets``) and, unless they
   already are, UPSERTs them in one batch with the primary's weight 0 and the
   secondary's 100, keeping each set's target (alias or values), TTL and
   health check. Idempotent, and attempted again on every invocation: a failed
   DNS change (the Route 53 control plane is homed in us-east-1) is retried by
   the next one.

Errors of either step are logged; the function then raises, so Lambda retries
the asynchronous invocation and the function's ``Errors`` alarm fires.
Configuration errors raise ``ValueError`` before any AWS call.

Environment contract
--------------------
Required: ``AWS_REGION`` (set by Lambda), ``GLOBAL_CLUSTER_IDS`` and
``TARGET_CLUSTER_ARNS`` (comma-separated, same length and order),
``ALLOW_DATA_LOSS`` ("true" / "false"). Optional: ``TRIGGER_ALARM`` (the alarm
whose ALARM notifications act; unset = any alarm).
DNS (all required once ``HOSTED_ZONE_ID`` is set): ``HOSTED_ZONE_ID``,
``RECORD_NAME``, ``RECORD_TYPE``, ``PRIMARY_SET_ID``, ``SECONDARY_SET_ID``.
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
SECONDARY_WEIGHT_AFTER = 100
COMMENT = "drsc failover: shift traffic to the secondary region"

_CLUSTER_ARN_RE = re.compile(r"^arn:aws[a-z-]*:rds:([a-z0-9-]+):\d{12}:cluster:[A-Za-z][A-Za-z0-9-]*$")

_BOTO_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 5},
    connect_timeout=5,
    read_timeout=30,
)


class FailoverError(RuntimeError):
    """A step failed; raised after every step was attempted."""


@dataclass(frozen=True)
class DnsConfig:
    hosted_zone_id: str
    record_name: str
    record_type: str
    primary_set_id: str
    secondary_set_id: str


@dataclass(frozen=True)
class Database:
    global_cluster_id: str
    target_cluster_arn: str


@dataclass(frozen=True)
class FailoverConfig:
    region: str
    databases: tuple[Database, ...]
    allow_data_loss: bool
    trigger_alarm: str | None
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


def _list(env: Mapping[str, str], name: str) -> list[str]:
    items = [item.strip() for item in _require(env, name).split(",")]
    if any(not item for item in items):
        raise ValueError(f"environment variable {name} has an empty item")
    return items


def _parse_bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise ValueError(f"environment variable {name} must be 'true' or 'false', got {raw!r}")


def load_dns_config(env: Mapping[str, str]) -> DnsConfig | None:
    """The DNS step is enabled iff HOSTED_ZONE_ID is set; then the rest is required."""
    if not env.get("HOSTED_ZONE_ID", "").strip():
        return None
    return DnsConfig(
        hosted_zone_id=_require(env, "HOSTED_ZONE_ID"),
        record_name=_require(env, "RECORD_NAME"),
        record_type=_require(env, "RECORD_TYPE"),
        primary_set_id=_require(env, "PRIMARY_SET_ID"),
        secondary_set_id=_require(env, "SECONDARY_SET_ID"),
    )


def load_config(env: Mapping[str, str] | None = None) -> FailoverConfig:
    """Read and validate the environment. Raises ValueError on any problem."""
    env = os.environ if env is None else env
    region = _require(env, "AWS_REGION")
    ids = _list(env, "GLOBAL_CLUSTER_IDS")
    targets = _list(env, "TARGET_CLUSTER_ARNS")
    if len(ids) != len(targets):
        raise ValueError(
            f"GLOBAL_CLUSTER_IDS has {len(ids)} items but TARGET_CLUSTER_ARNS has {len(targets)}"
        )
    for target in targets:
        match = _CLUSTER_ARN_RE.match(target)
        if match is None:
            raise ValueError(
                "TARGET_CLUSTER_ARNS must hold RDS cluster ARNs "
                f"(arn:aws:rds:<region>:<account>:cluster:<id>), got {target!r}"
            )
        if match.group(1) != region:
            log("config_warning", reason="target_region_differs_from_function_region",
                target_region=match.group(1), function_region=region)
    return FailoverConfig(
        region=region,
        databases=tuple(Database(g, t) for g, t in zip(ids, targets)),
        allow_data_loss=_parse_bool("ALLOW_DATA_LOSS", _require(env, "ALLOW_DATA_LOSS")),
        trigger_alarm=env.get("TRIGGER_ALARM", "").strip() or None,
        dns=load_dns_config(env),
    )


# --------------------------------------------------------------------------
# Event parsing
# --------------------------------------------------------------------------


def parse_trigger(event: Mapping[str, Any], trigger_alarm: str | None = None) -> tuple[str | None, str]:
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
        name = message.get("AlarmName", "?")
        description = f"alarm:{name}:{state}"
        if trigger_alarm is not None and name != trigger_alarm:
            return None, description  # one signal alone does not fail over
        return ("failover" if state == "ALARM" else None), description

    raise ValueError("unrecognised event: expected an SNS alarm notification or {'action': ...}")


# --------------------------------------------------------------------------
# RDS step
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


def promote(rds: Any, db: Database, mode: str) -> dict[str, Any]:
    """Promote one global database's target; returns what happened."""
    base = {"global_cluster_id": db.global_cluster_id, "target_cluster_arn": db.target_cluster_arn}
    cluster = describe_global_cluster(rds, db.global_cluster_id)
    members = [m.get("DBClusterArn") for m in cluster.get("GlobalClusterMembers", [])]
    writer = current_writer(cluster)
    log("global_cluster_state", writer=writer, members=members, status=cluster.get("Status"),
        failover_state=cluster.get("FailoverState"), **base)
    if writer == db.target_cluster_arn:
        return {"status": "noop", "reason": "target_already_writer", **base}
    if operation_in_progress(cluster):
        return {"status": "noop", "reason": "operation_in_progress",
                "failover_state": cluster.get("FailoverState"), **base}
    if db.target_cluster_arn not in members:
        raise FailoverError(
            f"target {db.target_cluster_arn} is not a member of global cluster "
            f"{db.global_cluster_id} (members: {members})"
        )
    params: dict[str, Any] = {
        "GlobalClusterIdentifier": db.global_cluster_id,
        "TargetDbClusterIdentifier": db.target_cluster_arn,
    }
    if mode == "failover":
        params["AllowDataLoss"] = True
    else:
        params["Switchover"] = True
    log("failover_request", mode=mode, params=params)
    rds.failover_global_cluster(**params)
    return {"status": "started", "mode": mode, "previous_writer": writer, **base}


# --------------------------------------------------------------------------
# Route 53 step
# --------------------------------------------------------------------------


def _normal(name: str) -> str:
    return name.rstrip(".").lower()


def current_sets(route53: Any, dns: DnsConfig) -> dict[str, dict[str, Any]]:
    """The zone's record sets of RECORD_NAME / RECORD_TYPE, by set identifier."""
    response = route53.list_resource_record_sets(
        HostedZoneId=dns.hosted_zone_id,
        StartRecordName=dns.record_name,
        StartRecordType=dns.record_type,
    )
    out: dict[str, dict[str, Any]] = {}
    for record in response.get("ResourceRecordSets", []):
        if _normal(record.get("Name", "")) != _normal(dns.record_name) or record.get("Type") != dns.record_type:
            continue
        if "SetIdentifier" in record:
            out[record["SetIdentifier"]] = record
    return out


def shift_dns(route53: Any, dns: DnsConfig) -> dict[str, Any]:
    """UPSERT the weights (primary 0, secondary 100) unless they already are."""
    sets = current_sets(route53, dns)
    wanted = {dns.primary_set_id: PRIMARY_WEIGHT_AFTER, dns.secondary_set_id: SECONDARY_WEIGHT_AFTER}
    missing = [s for s in wanted if s not in sets]
    if missing:
        raise FailoverError(f"record {dns.record_name} {dns.record_type} has no set {missing}")
    changes = []
    for set_id, weight in wanted.items():
        record = dict(sets[set_id])
        if record.get("Weight") == weight:
            continue
        record["Weight"] = weight
        changes.append({"Action": "UPSERT", "ResourceRecordSet": record})
    if not changes:
        log("dns_already_shifted", record_name=dns.record_name)
        return {"status": "noop", "change_id": None}
    response = route53.change_resource_record_sets(
        HostedZoneId=dns.hosted_zone_id, ChangeBatch={"Comment": COMMENT, "Changes": changes}
    )
    change_id = response["ChangeInfo"]["Id"]
    log("dns_shift_submitted", hosted_zone_id=dns.hosted_zone_id, record_name=dns.record_name,
        change_id=change_id, status=response["ChangeInfo"].get("Status"))
    return {"status": "submitted", "change_id": change_id}


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def run(config: FailoverConfig, action: str) -> dict[str, Any]:
    mode = "failover" if action == "failover" and config.allow_data_loss else "switchover"
    errors: list[str] = []
    rds = make_client("rds", config.region)
    databases = []
    for db in config.databases:
        try:
            databases.append(promote(rds, db, mode))
        except Exception as exc:  # the other databases still fail over
            log("error", step="promote", global_cluster_id=db.global_cluster_id,
                error_type=type(exc).__name__, error=str(exc))
            errors.append(f"{db.global_cluster_id}: {type(exc).__name__}: {exc}")
            databases.append({"status": "error", "global_cluster_id": db.global_cluster_id,
                              "error": str(exc)})
    result: dict[str, Any] = {"mode": mode, "databases": databases, "dns": None}
    if config.dns is not None:
        try:
            result["dns"] = shift_dns(make_client("route53", None), config.dns)
        except Exception as exc:  # retried by the next invocation
            log("error", step="dns", error_type=type(exc).__name__, error=str(exc))
            errors.append(f"dns: {type(exc).__name__}: {exc}")
            result["dns"] = {"status": "error", "error": str(exc)}
    if errors:
        log("result", status="error", **result)
        raise FailoverError("; ".join(errors))
    return result


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    config = load_config()
    action, trigger = parse_trigger(event, config.trigger_alarm)
    log("invoked", trigger=trigger, action=action,
        request_id=getattr(context, "aws_request_id", None))
    if action is None:
        result: dict[str, Any] = {"status": "ignored", "trigger": trigger}
        log("result", **result)
        return result
    result = run(config, action)
    result["status"] = "done"
    result["trigger"] = trigger
    log("result", **result)
    return result

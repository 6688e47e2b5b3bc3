"""drsc starter for an AWS ARC Region switch plan.

Deployed by drsc as a Lambda function in the *secondary* region when the site's
failover engine is Region switch. Lambda handler setting: ``handler.handler``.
Runtime: python3.12 (standard library + the runtime-provided boto3 only).

Why a starter and not a plan trigger
------------------------------------
A Region switch ``Trigger`` has no execution mode, and AWS does not document
which mode (graceful or ungraceful) a trigger-started execution runs in
(ARC API reference, ``Trigger``; ``StartPlanExecution``: "Specifing ungraceful
mode either changes the behavior of the execution blocks in a workflow or skips
specific execution blocks"). A graceful run of the plan's Aurora step
(``switchoverOnly``) needs the old primary, which a regional outage takes away.
So drsc starts the execution itself, with ``mode = ungraceful``, on the
regional data plane of the region it activates (Region switch plans "are
executed from the Region being activated"; the control plane is in us-east-1).

Triggers
--------
* SNS notification of the primary-unreachable CloudWatch alarm (secondary
  region). Only ``NewStateValue == "ALARM"`` acts; other states are ignored.
* Direct invocation ``{"action": "activate"}`` (an operator's shortcut).

What it does
------------
1. ``arc-region-switch:ListPlanExecutions`` on the plan (data plane). If an
   execution is in flight (``pending``, ``inProgress``, paused, waiting for an
   approval), or the latest execution activated ``TARGET_REGION`` and
   completed, it does nothing (idempotent).
2. ``arc-region-switch:StartPlanExecution`` with ``action = activate``,
   ``targetRegion = TARGET_REGION`` and ``mode = ungraceful``.

API errors are logged and re-raised, so Lambda retries the asynchronous SNS
invocation and the function's ``Errors`` alarm fires. Configuration errors
raise ``ValueError`` before any AWS call.

Environment contract
--------------------
Required: ``AWS_REGION`` (set by Lambda), ``PLAN_ARN``, ``TARGET_REGION``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Mapping

import boto3
from botocore.config import Config

# ExecutionState values of an execution that has not finished (botocore
# `arc-region-switch` service model, shape ExecutionState).
IN_FLIGHT_STATES = frozenset(
    {"pending", "inProgress", "pausedByFailedStep", "pausedByOperator", "pendingManualApproval"}
)
# ExecutionState values of an execution that activated its region.
ACTIVATED_STATES = frozenset(
    {"completed", "completedWithExceptions", "completedMonitoringApplicationHealth"}
)

COMMENT = "drsc starter: the primary-unreachable alarm fired (ungraceful activate)"


@dataclass(frozen=True)
class StarterConfig:
    region: str
    plan_arn: str
    target_region: str


def make_client(service: str, region: str | None) -> Any:
    """The seam the tests replace with Stubber-wrapped clients."""
    return boto3.client(service, region_name=region, config=Config(retries={"mode": "standard"}))


def log(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, **fields}, default=str, sort_keys=True))


def _require(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ValueError(f"environment variable {name} is required")
    return value


def load_config(env: Mapping[str, str] | None = None) -> StarterConfig:
    env = os.environ if env is None else env
    plan_arn = _require(env, "PLAN_ARN")
    if not plan_arn.startswith("arn:") or ":arc-region-switch::" not in plan_arn:
        raise ValueError(f"PLAN_ARN is not a Region switch plan ARN: {plan_arn!r}")
    return StarterConfig(
        region=_require(env, "AWS_REGION"),
        plan_arn=plan_arn,
        target_region=_require(env, "TARGET_REGION"),
    )


def wants_activation(event: Mapping[str, Any]) -> tuple[bool, str]:
    """Whether the event asks for an activation, and why (for the log)."""
    records = event.get("Records")
    if isinstance(records, list) and records:
        for record in records:
            message = (record.get("Sns") or {}).get("Message", "")
            try:
                body = json.loads(message)
            except (TypeError, ValueError):
                continue
            if isinstance(body, dict) and body.get("NewStateValue") == "ALARM":
                return True, f"alarm {body.get('AlarmName', '?')} is ALARM"
        return False, "no ALARM notification"
    if event.get("action") == "activate":
        return True, "direct invocation"
    return False, "unrecognised event"


def executions(client: Any, plan_arn: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        kwargs: dict[str, Any] = {"planArn": plan_arn}
        if token:
            kwargs["nextToken"] = token
        page = client.list_plan_executions(**kwargs)
        items.extend(page.get("items", []))
        token = page.get("nextToken")
        if not token:
            return items


def reason_to_wait(items: list[dict[str, Any]], target_region: str) -> str | None:
    """Why no new execution should start, or None."""
    for item in items:
        if item.get("executionState") in IN_FLIGHT_STATES:
            return f"execution {item.get('executionId')} is {item.get('executionState')}"
    if not items:
        return None
    latest = max(items, key=lambda i: i.get("startTime") or 0)
    if (
        latest.get("executionAction") == "activate"
        and latest.get("executionRegion") == target_region
        and latest.get("executionState") in ACTIVATED_STATES
    ):
        return f"{target_region} is already active (execution {latest.get('executionId')})"
    return None


def run(config: StarterConfig) -> dict[str, Any]:
    client = make_client("arc-region-switch", config.region)
    try:
        wait = reason_to_wait(executions(client, config.plan_arn), config.target_region)
        if wait:
            log("skip", reason=wait, plan=config.plan_arn)
            return {"started": False, "reason": wait}
        response = client.start_plan_execution(
            planArn=config.plan_arn,
            targetRegion=config.target_region,
            action="activate",
            mode="ungraceful",
            comment=COMMENT,
        )
    except Exception as error:  # re-raised: Lambda retries, the Errors alarm fires
        log("error", error=repr(error), plan=config.plan_arn)
        raise
    execution = response.get("executionId")
    log("started", execution=execution, plan=config.plan_arn, region=config.target_region)
    return {"started": True, "executionId": execution}


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    config = load_config()
    act, why = wants_activation(event)
    if not act:
        log("ignored", reason=why)
        return {"started": False, "reason": why}
    log("activate", reason=why, plan=config.plan_arn)
    return run(config)

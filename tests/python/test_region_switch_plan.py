"""The Region switch plan drsc emits for the reference site, validated against
botocore's ``arc-region-switch`` service model.

``region_switch_plan.json`` is the ``Properties`` of the reference site's
``AWS::ARCRegionSwitch::Plan`` (kept equal to the emission by the Rust test
``tests/region_switch.rs``). CloudFormation's property names are the API's with
an upper-case first letter, so the test lower-cases each key (not the keys of
the ``AssociatedAlarms`` and ``Tags`` maps, which are names), resolves the
intrinsics to sample values, and validates the result as a ``CreatePlan``
request (https://docs.aws.amazon.com/arc-region-switch/latest/api/API_CreatePlan.html).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.validate import ParamValidator

PLAN = json.loads((Path(__file__).resolve().parent / "region_switch_plan.json").read_text())
ACCOUNT = "123456789012"
MAPS = {"AssociatedAlarms", "Tags"}


def resolve(value: Any) -> Any:
    """Intrinsics → sample values (account, partition, hosted zone id)."""
    if isinstance(value, dict) and len(value) == 1:
        (key, arg), = value.items()
        if key == "Fn::Sub":
            return re.sub(r"\$\{([^}]+)\}", lambda m: {
                "AWS::Partition": "aws", "AWS::AccountId": ACCOUNT,
            }.get(m.group(1), "Z0123456789ABCDEFGHIJ"), arg)
        if key == "Ref":
            return {"AWS::AccountId": ACCOUNT, "AWS::Partition": "aws"}.get(arg, "Z0123456789ABCDEFGHIJ")
        if key == "Fn::GetAtt":
            return "resolved-" + "-".join(arg)
    return value


def to_api(value: Any, keep_keys: bool = False) -> Any:
    """CloudFormation properties → API members; `keep_keys` for a map of names."""
    value = resolve(value)
    if isinstance(value, dict):
        if keep_keys:
            return {k: to_api(v) for k, v in value.items()}
        return {k[0].lower() + k[1:]: to_api(v, keep_keys=k in MAPS) for k, v in value.items()}
    if isinstance(value, list):
        return [to_api(v) for v in value]
    return value


@pytest.fixture(scope="module")
def model() -> Any:
    return boto3.client("arc-region-switch", region_name="us-west-2").meta.service_model


def test_the_plan_is_a_valid_create_plan_request(model: Any) -> None:
    request = to_api(PLAN)
    shape = model.operation_model("CreatePlan").input_shape
    report = ParamValidator().validate(request, shape)
    assert not report.has_errors(), report.generate_report()


def test_the_plan_uses_no_unknown_enum_values(model: Any) -> None:
    request = to_api(PLAN)
    assert request["recoveryApproach"] in model.shape_for("RecoveryApproach").enum
    types = set(model.shape_for("ExecutionBlockType").enum)
    behaviors = set(model.shape_for("GlobalAuroraDefaultBehavior").enum)
    for w in request["workflows"]:
        assert w["workflowTargetAction"] in model.shape_for("WorkflowTargetAction").enum
        for step in w["steps"]:
            assert step["executionBlockType"] in types
            aurora = step["executionBlockConfiguration"].get("globalAuroraConfig")
            if aurora:
                assert aurora["behavior"] in behaviors
                # A graceful run must never lose data: never `failover`.
                assert aurora["behavior"] == "switchoverOnly"
                assert aurora["ungraceful"] == {"ungraceful": "failover"}
    alarm_types = set(model.shape_for("AlarmType").enum)
    for alarm in request["associatedAlarms"].values():
        assert alarm["alarmType"] in alarm_types


def test_the_rto_is_inside_the_api_range(model: Any) -> None:
    shape = model.operation_model("CreatePlan").input_shape.members["recoveryTimeObjectiveMinutes"]
    rto = to_api(PLAN)["recoveryTimeObjectiveMinutes"]
    assert shape.metadata["min"] <= rto <= shape.metadata["max"]
    assert rto == 240

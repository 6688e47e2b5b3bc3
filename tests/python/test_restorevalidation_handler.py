"""Tests for assets/restorevalidation/handler.py (drsc's restore-test validation Lambda).

Run with:  python -m pytest tests/python

Real boto3 clients are wrapped in botocore Stubbers and injected through the
handler's ``make_client`` seam. Every stubbed call pins its parameters with
``expected_params``; any unqueued call raises, and a ``before-send`` hook
guarantees nothing reaches the network.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any, Iterator

import boto3
import pytest
from botocore.stub import Stubber

HANDLER_PATH = Path(__file__).resolve().parents[2] / "assets" / "restorevalidation" / "handler.py"

REGION = "us-west-2"
PLAN = "arn:aws:backup:us-west-2:123456789012:restore-testing-plan:dr_restore_test_plan_production_txn01-abc"
OTHER_PLAN = "arn:aws:backup:us-west-2:123456789012:restore-testing-plan:someone_else-def"
JOB = "0A1B2C3D-4E5F-6789-ABCD-EF0123456789"
CLUSTER = "awsbackup-restore-test-123abc"
CLUSTER_ARN = f"arn:aws:rds:us-west-2:123456789012:cluster:{CLUSTER}"
TABLE = "awsbackup-restore-test-456def"
TABLE_ARN = f"arn:aws:dynamodb:us-west-2:123456789012:table/{TABLE}"
BUCKET = "awsbackup-restore-test-789abc"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"


def _load_handler_module() -> Any:
    spec = importlib.util.spec_from_file_location("drsc_restorevalidation_handler", HANDLER_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


handler_mod = _load_handler_module()


@pytest.fixture(autouse=True)
def fake_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "empty-aws-config"
    empty.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("RESTORE_TESTING_PLAN_ARNS", f"{PLAN}")


def _block_network(request: Any, **_: Any) -> None:
    raise AssertionError(f"unexpected network request to {request.url}")


class Stubs:
    def __init__(self) -> None:
        self.clients = {s: boto3.client(s, region_name=REGION) for s in ("backup", "rds", "dynamodb", "s3")}
        self.stubs = {s: Stubber(c) for s, c in self.clients.items()}
        for c in self.clients.values():
            c.meta.events.register("before-send", _block_network)

    def __getattr__(self, name: str) -> Stubber:
        return self.__dict__["stubs"][name]

    def factory(self, service: str) -> Any:
        return self.clients[service]

    def reports(self, status: str, message: str) -> None:
        self.stubs["backup"].add_response(
            "put_restore_validation_result",
            {},
            {"RestoreJobId": JOB, "ValidationStatus": status, "ValidationStatusMessage": message},
        )


@pytest.fixture
def stubs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubs]:
    s = Stubs()
    monkeypatch.setattr(handler_mod, "make_client", s.factory)
    for st in s.stubs.values():
        st.activate()
    yield s
    for st in s.stubs.values():
        st.assert_no_pending_responses()
        st.deactivate()


def event(resource_type: str, arn: str, plan: str = PLAN, status: str = "COMPLETED") -> dict[str, Any]:
    return {
        "source": "aws.backup",
        "detail-type": "Restore Job State Change",
        "detail": {
            "restoreJobId": JOB,
            "restoreTestingPlanArn": plan,
            "resourceType": resource_type,
            "createdResourceArn": arn,
            "status": status,
        },
    }


# ------------------------------------------------------------------ Aurora


def test_aurora_available_with_an_endpoint_is_successful(stubs: Stubs) -> None:
    stubs.rds.add_response(
        "describe_db_clusters",
        {"DBClusters": [{"DBClusterIdentifier": CLUSTER, "Status": "available", "Endpoint": "x.cluster.example"}]},
        {"DBClusterIdentifier": CLUSTER},
    )
    msg = f"restored Aurora cluster {CLUSTER} is available at x.cluster.example"
    stubs.reports("SUCCESSFUL", msg)
    assert handler_mod.handler(event("Aurora", CLUSTER_ARN))["validation"] == "SUCCESSFUL"


def test_aurora_not_available_fails(stubs: Stubs) -> None:
    stubs.rds.add_response(
        "describe_db_clusters",
        {"DBClusters": [{"DBClusterIdentifier": CLUSTER, "Status": "inaccessible-encryption-credentials"}]},
        {"DBClusterIdentifier": CLUSTER},
    )
    stubs.reports("FAILED", f"restored Aurora cluster {CLUSTER} is inaccessible-encryption-credentials, not available")
    assert handler_mod.handler(event("Aurora", CLUSTER_ARN))["validation"] == "FAILED"


def test_aurora_without_endpoint_fails(stubs: Stubs) -> None:
    stubs.rds.add_response(
        "describe_db_clusters",
        {"DBClusters": [{"DBClusterIdentifier": CLUSTER, "Status": "available"}]},
        {"DBClusterIdentifier": CLUSTER},
    )
    stubs.reports("FAILED", f"restored Aurora cluster {CLUSTER} has no endpoint")
    assert handler_mod.handler(event("Aurora", CLUSTER_ARN))["validation"] == "FAILED"


def test_aurora_api_error_is_a_failed_validation(stubs: Stubs) -> None:
    stubs.rds.add_client_error(
        "describe_db_clusters",
        service_error_code="DBClusterNotFoundFault",
        service_message="not found",
        expected_params={"DBClusterIdentifier": CLUSTER},
    )
    stubs.reports("FAILED", "DBClusterNotFoundFault: not found")
    assert handler_mod.handler(event("Aurora", CLUSTER_ARN))["validation"] == "FAILED"


# ------------------------------------------------------------------ DynamoDB


def test_dynamodb_active_and_readable_is_successful(stubs: Stubs) -> None:
    stubs.dynamodb.add_response("describe_table", {"Table": {"TableStatus": "ACTIVE"}}, {"TableName": TABLE})
    stubs.dynamodb.add_response(
        "scan", {"Count": 1, "ScannedCount": 1}, {"TableName": TABLE, "Limit": 1, "Select": "COUNT"}
    )
    stubs.reports("SUCCESSFUL", f"restored table {TABLE} is ACTIVE and answers reads (holds items)")
    assert handler_mod.handler(event("DynamoDB", TABLE_ARN))["validation"] == "SUCCESSFUL"


def test_dynamodb_not_active_fails_without_reading(stubs: Stubs) -> None:
    stubs.dynamodb.add_response("describe_table", {"Table": {"TableStatus": "CREATING"}}, {"TableName": TABLE})
    stubs.reports("FAILED", f"restored table {TABLE} is CREATING, not ACTIVE")
    assert handler_mod.handler(event("DynamoDB", TABLE_ARN))["validation"] == "FAILED"


def test_dynamodb_unreadable_fails(stubs: Stubs) -> None:
    stubs.dynamodb.add_response("describe_table", {"Table": {"TableStatus": "ACTIVE"}}, {"TableName": TABLE})
    stubs.dynamodb.add_client_error(
        "scan",
        service_error_code="AccessDeniedException",
        service_message="denied",
        expected_params={"TableName": TABLE, "Limit": 1, "Select": "COUNT"},
    )
    stubs.reports("FAILED", "AccessDeniedException: denied")
    assert handler_mod.handler(event("DynamoDB", TABLE_ARN))["validation"] == "FAILED"


# ------------------------------------------------------------------ S3


def test_s3_listing_is_successful(stubs: Stubs) -> None:
    stubs.s3.add_response("list_objects_v2", {"KeyCount": 0}, {"Bucket": BUCKET, "MaxKeys": 1})
    stubs.reports("SUCCESSFUL", f"restored bucket {BUCKET} answers listings (is empty)")
    assert handler_mod.handler(event("S3", BUCKET_ARN))["validation"] == "SUCCESSFUL"


def test_s3_missing_bucket_fails(stubs: Stubs) -> None:
    stubs.s3.add_client_error(
        "list_objects_v2",
        service_error_code="NoSuchBucket",
        service_message="gone",
        expected_params={"Bucket": BUCKET, "MaxKeys": 1},
    )
    stubs.reports("FAILED", "NoSuchBucket: gone")
    assert handler_mod.handler(event("S3", BUCKET_ARN))["validation"] == "FAILED"


# ------------------------------------------------------------------ events and errors


def test_restore_jobs_of_other_plans_are_ignored(stubs: Stubs) -> None:
    assert handler_mod.handler(event("S3", BUCKET_ARN, plan=OTHER_PLAN)) == {"skipped": True}


def test_restores_outside_restore_testing_are_ignored(stubs: Stubs) -> None:
    e = event("S3", BUCKET_ARN)
    del e["detail"]["restoreTestingPlanArn"]
    assert handler_mod.handler(e) == {"skipped": True}


def test_jobs_that_did_not_complete_are_ignored(stubs: Stubs) -> None:
    assert handler_mod.handler(event("S3", BUCKET_ARN, status="FAILED")) == {"skipped": True}


def test_an_unknown_resource_type_fails(stubs: Stubs) -> None:
    stubs.reports("FAILED", "drsc cannot validate resource type 'EBS'")
    assert handler_mod.handler(event("EBS", "arn:aws:ec2:us-west-2:123456789012:volume/vol-1"))["validation"] == "FAILED"


def test_a_malformed_arn_fails(stubs: Stubs) -> None:
    stubs.reports("FAILED", "unexpected restored resource ARN 'arn:aws:rds:us-west-2:123456789012:db:x'")
    assert handler_mod.handler(event("Aurora", "arn:aws:rds:us-west-2:123456789012:db:x"))["validation"] == "FAILED"


def test_a_reporting_error_raises_so_lambda_retries(stubs: Stubs) -> None:
    stubs.s3.add_response("list_objects_v2", {"KeyCount": 3}, {"Bucket": BUCKET, "MaxKeys": 1})
    stubs.backup.add_client_error("put_restore_validation_result", service_error_code="ServiceUnavailableException")
    with pytest.raises(Exception):
        handler_mod.handler(event("S3", BUCKET_ARN))


def test_missing_configuration_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RESTORE_TESTING_PLAN_ARNS")
    with pytest.raises(ValueError):
        handler_mod.handler(event("S3", BUCKET_ARN))


def test_several_plans_are_accepted(stubs: Stubs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESTORE_TESTING_PLAN_ARNS", f"{OTHER_PLAN},{PLAN}")
    stubs.s3.add_response("list_objects_v2", {"KeyCount": 1}, {"Bucket": BUCKET, "MaxKeys": 1})
    stubs.reports("SUCCESSFUL", f"restored bucket {BUCKET} answers listings (holds objects)")
    assert handler_mod.handler(event("S3", BUCKET_ARN, plan=OTHER_PLAN))["validation"] == "SUCCESSFUL"


def test_an_sdk_without_the_api_raises(stubs: Stubs, monkeypatch: pytest.MonkeyPatch) -> None:
    stubs.s3.add_response("list_objects_v2", {"KeyCount": 1}, {"Bucket": BUCKET, "MaxKeys": 1})

    class OldBackup:  # a boto3 from before PutRestoreValidationResult
        pass

    monkeypatch.setattr(
        handler_mod, "make_client", lambda service: OldBackup() if service == "backup" else stubs.factory(service)
    )
    with pytest.raises(RuntimeError):
        handler_mod.handler(event("S3", BUCKET_ARN))

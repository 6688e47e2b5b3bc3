"""drsc restore-test validation (R36).

Deployed by drsc as a Lambda function in the *secondary* region. Lambda
handler setting: ``handler.handler``. Runtime: python3.12 (standard library +
the runtime-provided boto3 only).

Trigger
-------
An EventBridge rule on AWS Backup's ``Restore Job State Change`` events with
``status`` ``COMPLETED`` ("add an EventBridge rule that listens for the restore
job reaching the status COMPLETED",
https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-validation.html).
The event's ``detail`` carries ``restoreJobId``, ``restoreTestingPlanArn``,
``resourceType`` and ``createdResourceArn``. Restore jobs that no restore
testing plan of the site created (a real restore, another team's test) are
ignored: nothing is reported for them.

What it checks (read-only; nothing of the restored resource is changed)
------------------------------------------------------------------------
* ``Aurora``: ``rds:DescribeDBClusters`` of the restored cluster: ``Status`` is
  ``available`` and it has an ``Endpoint``. AWS Backup restores the cluster
  without instances, so no SQL query is possible.
* ``DynamoDB``: ``dynamodb:DescribeTable``: ``TableStatus`` is ``ACTIVE``;
  then ``dynamodb:Scan`` with ``Limit=1`` and ``Select=COUNT`` proves the table
  answers reads (the message reports whether it holds items).
* ``S3``: ``s3:ListObjectsV2`` with ``MaxKeys=1``: the bucket answers a listing
  (the message reports whether it holds objects).

Then ``backup:PutRestoreValidationResult`` with ``SUCCESSFUL`` or ``FAILED`` and
a message (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutRestoreValidationResult.html);
"once a validation status is set, it cannot be changed".
An AWS error while checking is a ``FAILED`` validation with the error in the
message. If reporting itself fails, the function raises, so Lambda retries the
asynchronous invocation (and the dead-letter queue keeps the event).

AWS Backup deletes the restored resource when the selection's validation
window ends, whatever the result.

Environment contract
--------------------
``RESTORE_TESTING_PLAN_ARNS``: comma-separated ARNs of the site's restore
testing plans (required). ``AWS_REGION`` is set by Lambda.
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, Optional, Tuple

try:  # boto3 is provided by the Lambda runtime; tests inject stubbed clients.
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # pragma: no cover
    boto3 = None  # type: ignore[assignment]
    BotoCoreError = ClientError = Exception  # type: ignore[misc,assignment]

#: Longest message this function sends (AWS does not document a limit; kept short).
MAX_MESSAGE = 1000

_clients: Dict[str, Any] = {}


def make_client(service: str) -> Any:
    """The client of ``service`` in the function's region (a test seam)."""
    if service not in _clients:
        _clients[service] = boto3.client(service, region_name=os.environ.get("AWS_REGION"))
    return _clients[service]


def _plans() -> set:
    raw = os.environ.get("RESTORE_TESTING_PLAN_ARNS", "")
    plans = {p.strip() for p in raw.split(",") if p.strip()}
    if not plans:
        raise ValueError("RESTORE_TESTING_PLAN_ARNS is not set")
    return plans


def _after(arn: str, marker: str) -> str:
    """The part of ``arn`` after ``marker`` (``:cluster:``, ``:table/``, ``:::``)."""
    if marker not in arn:
        raise ValueError(f"unexpected restored resource ARN {arn!r}")
    rest = arn.split(marker, 1)[1]
    if not rest:
        raise ValueError(f"unexpected restored resource ARN {arn!r}")
    return rest


def check_aurora(arn: str) -> Tuple[bool, str]:
    cluster_id = _after(arn, ":cluster:")
    clusters = make_client("rds").describe_db_clusters(DBClusterIdentifier=cluster_id)["DBClusters"]
    if not clusters:
        return False, f"restored Aurora cluster {cluster_id} not found"
    c = clusters[0]
    status = c.get("Status")
    endpoint = c.get("Endpoint")
    if status != "available":
        return False, f"restored Aurora cluster {cluster_id} is {status}, not available"
    if not endpoint:
        return False, f"restored Aurora cluster {cluster_id} has no endpoint"
    return True, f"restored Aurora cluster {cluster_id} is available at {endpoint}"


def check_dynamodb(arn: str) -> Tuple[bool, str]:
    table = _after(arn, ":table/").split("/", 1)[0]
    ddb = make_client("dynamodb")
    status = ddb.describe_table(TableName=table)["Table"].get("TableStatus")
    if status != "ACTIVE":
        return False, f"restored table {table} is {status}, not ACTIVE"
    count = ddb.scan(TableName=table, Limit=1, Select="COUNT").get("Count", 0)
    held = "holds items" if count else "is empty"
    return True, f"restored table {table} is ACTIVE and answers reads ({held})"


def check_s3(arn: str) -> Tuple[bool, str]:
    bucket = _after(arn, ":::").split("/", 1)[0]
    keys = make_client("s3").list_objects_v2(Bucket=bucket, MaxKeys=1).get("KeyCount", 0)
    held = "holds objects" if keys else "is empty"
    return True, f"restored bucket {bucket} answers listings ({held})"


CHECKS: Dict[str, Callable[[str], Tuple[bool, str]]] = {
    "Aurora": check_aurora,
    "DynamoDB": check_dynamodb,
    "S3": check_s3,
}


def validate(resource_type: Optional[str], arn: Optional[str]) -> Tuple[bool, str]:
    """``(passed, message)`` for one restored resource; never raises for AWS errors."""
    check = CHECKS.get(resource_type or "")
    if check is None:
        return False, f"drsc cannot validate resource type {resource_type!r}"
    if not arn:
        return False, "the restore job reported no restored resource"
    try:
        return check(arn)
    except ClientError as e:  # the resource does not answer
        err = e.response.get("Error", {})
        return False, f"{err.get('Code', 'Error')}: {err.get('Message', str(e))}"
    except (BotoCoreError, ValueError) as e:
        return False, str(e)


def handler(event: Dict[str, Any], context: Any = None) -> Dict[str, Any]:
    plans = _plans()
    detail = event.get("detail") or {}
    job = detail.get("restoreJobId")
    plan = detail.get("restoreTestingPlanArn")
    if not job or plan not in plans or detail.get("status", "COMPLETED") != "COMPLETED":
        print(json.dumps({"skipped": True, "restoreJobId": job, "restoreTestingPlanArn": plan}))
        return {"skipped": True}
    passed, message = validate(detail.get("resourceType"), detail.get("createdResourceArn"))
    status = "SUCCESSFUL" if passed else "FAILED"
    backup = make_client("backup")
    if not hasattr(backup, "put_restore_validation_result"):
        # AWS's guide warns the Lambda runtime's SDK may predate the API; fail
        # loudly (the Errors alarm fires) rather than leave the job unvalidated.
        raise RuntimeError("this boto3 has no PutRestoreValidationResult: update the runtime")
    backup.put_restore_validation_result(
        RestoreJobId=job,
        ValidationStatus=status,
        ValidationStatusMessage=message[:MAX_MESSAGE],
    )
    print(json.dumps({"restoreJobId": job, "validation": status, "message": message}))
    return {"restoreJobId": job, "validation": status, "message": message}

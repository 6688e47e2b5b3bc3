"""Transaction ingest API for the reference site (`specs/transactions.drs`).

Deployed identically in both regions behind each region's front door (API
Gateway HTTP API, payload format 2.0). drsc sets the region-specific names:
TRANSACTION_META_TABLE (the DynamoDB global table), DOCUMENTS_BUCKET (this
region's document bucket), LEDGER_ENDPOINT / LEDGER_PORT / LEDGER_DATABASE /
LEDGER_USER (this region's Aurora cluster, reached with IAM database
authentication; no secret is read).

`GET /health` answers 200 without touching any store: Route 53 health-checks
both regions' front doors on that path (drsc's `health_path`).

Event: {"txn_id": "...", "amount": "12.34", "currency": "USD",
        "document": "<optional text>"}
Writes the transaction's metadata to DynamoDB and, if present, the supporting
document to S3 (SSE-KMS is the bucket default). Returns the stored keys.
"""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

import boto3

LOG = logging.getLogger()
LOG.setLevel(os.environ.get("LOG_LEVEL", "INFO"))

_TXN_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")

_dynamodb = None
_s3 = None


def _clients():
    global _dynamodb, _s3
    if _dynamodb is None:
        _dynamodb = boto3.client("dynamodb")
        _s3 = boto3.client("s3")
    return _dynamodb, _s3


class BadRequest(ValueError):
    """The event is not a valid transaction."""


def parse(event: dict[str, Any]) -> dict[str, Any]:
    body = event.get("body", event)
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except json.JSONDecodeError as exc:
            raise BadRequest(f"body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("expected a JSON object")
    txn_id = str(body.get("txn_id", ""))
    if not _TXN_ID.match(txn_id):
        raise BadRequest("txn_id must be 1-64 characters [A-Za-z0-9_-]")
    try:
        amount = Decimal(str(body.get("amount")))
    except InvalidOperation:
        raise BadRequest("amount must be a decimal number") from None
    if not amount.is_finite():
        raise BadRequest("amount must be finite")
    currency = str(body.get("currency", ""))
    if not _CURRENCY.match(currency):
        raise BadRequest("currency must be an ISO 4217 code such as USD")
    document = body.get("document")
    if document is not None and not isinstance(document, str):
        raise BadRequest("document must be text")
    return {"txn_id": txn_id, "amount": amount, "currency": currency, "document": document}


HEALTH_PATH = os.environ.get("HEALTH_PATH", "/health")


def is_health_check(event: dict[str, Any]) -> bool:
    """Whether the event is the front door's health route (HTTP API payload 2.0)."""
    method = event.get("requestContext", {}).get("http", {}).get("method")
    return method == "GET" and event.get("rawPath") == HEALTH_PATH


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if is_health_check(event):
        region = os.environ.get("AWS_REGION", "")
        return {"statusCode": 200, "body": json.dumps({"status": "ok", "region": region})}
    try:
        txn = parse(event)
    except BadRequest as exc:
        return {"statusCode": 400, "body": json.dumps({"error": str(exc)})}

    dynamodb, s3 = _clients()
    created_at = datetime.now(timezone.utc).isoformat()
    region = os.environ.get("AWS_REGION", "")
    document_key = None
    if txn["document"] is not None:
        document_key = f"transactions/{txn['txn_id']}/document.txt"
        s3.put_object(
            Bucket=os.environ["DOCUMENTS_BUCKET"],
            Key=document_key,
            Body=txn["document"].encode("utf-8"),
            ContentType="text/plain; charset=utf-8",
        )
    item = {
        "txn_id": {"S": txn["txn_id"]},
        "created_at": {"S": created_at},
        "amount": {"N": str(txn["amount"])},
        "currency": {"S": txn["currency"]},
        "region": {"S": region},
    }
    if document_key:
        item["document_key"] = {"S": document_key}
    dynamodb.put_item(
        TableName=os.environ["TRANSACTION_META_TABLE"],
        Item=item,
        ConditionExpression="attribute_not_exists(txn_id) AND attribute_not_exists(created_at)",
    )
    LOG.info(json.dumps({"event": "stored", "txn_id": txn["txn_id"], "region": region}))
    return {
        "statusCode": 201,
        "body": json.dumps({"txn_id": txn["txn_id"], "created_at": created_at,
                            "document_key": document_key}),
    }

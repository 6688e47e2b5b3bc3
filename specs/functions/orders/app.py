"""Order intake for the example site `specs/orders.drs`: a public HTTP API in
both regions (eu-west-1 serves, eu-central-1 stands by), no database.

drsc sets ORDERS_TABLE (the DynamoDB global table, resolved in the function's
own region), RECEIPTS_BUCKET (this region's receipt bucket) and HEALTH_PATH.
`GET /health` answers 200 without touching a store; `POST /` stores an order.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timezone
from typing import Any

import boto3

_dynamodb = None
_s3 = None


def _clients():
    global _dynamodb, _s3
    if _dynamodb is None:
        _dynamodb = boto3.client("dynamodb")
        _s3 = boto3.client("s3")
    return _dynamodb, _s3


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    method = event.get("requestContext", {}).get("http", {}).get("method")
    if method == "GET" and event.get("rawPath") == os.environ.get("HEALTH_PATH", "/health"):
        return {"statusCode": 200, "body": json.dumps({"status": "ok"})}
    try:
        order = json.loads(event.get("body") or "{}")
    except json.JSONDecodeError:
        return {"statusCode": 400, "body": json.dumps({"error": "body is not JSON"})}
    if not isinstance(order, dict) or not isinstance(order.get("sku"), str):
        return {"statusCode": 400, "body": json.dumps({"error": "expected {\"sku\": \"...\"}"})}
    dynamodb, s3 = _clients()
    order_id = str(uuid.uuid4())
    placed_at = datetime.now(timezone.utc).isoformat()
    dynamodb.put_item(
        TableName=os.environ["ORDERS_TABLE"],
        Item={"order_id": {"S": order_id}, "placed_at": {"S": placed_at}, "sku": {"S": order["sku"]}},
    )
    s3.put_object(
        Bucket=os.environ["RECEIPTS_BUCKET"],
        Key=f"receipts/{order_id}.json",
        Body=json.dumps({"order_id": order_id, "placed_at": placed_at}).encode("utf-8"),
        ContentType="application/json",
    )
    return {"statusCode": 201, "body": json.dumps({"order_id": order_id})}

"""drsc probe: is the primary database reachable from the secondary region?

Runs every minute in the secondary region's VPC; opens a TCP connection to the
primary writer endpoint over the VPC peering and publishes 1 (reachable) or 0
to a custom CloudWatch metric that the failover alarm evaluates.
Environment: TARGET_HOST, TARGET_PORT, METRIC_NAMESPACE, METRIC_NAME, SITE.
"""
import os
import socket

import boto3


def reachable(host, port, timeout):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def handler(event, context):
    host = os.environ["TARGET_HOST"]
    port = int(os.environ["TARGET_PORT"])
    ok = reachable(host, port, 5.0)
    boto3.client("cloudwatch").put_metric_data(
        Namespace=os.environ["METRIC_NAMESPACE"],
        MetricData=[{
            "MetricName": os.environ["METRIC_NAME"],
            "Dimensions": [{"Name": "Site", "Value": os.environ["SITE"]}],
            "Value": 1.0 if ok else 0.0,
            "Unit": "Count",
        }],
    )
    print({"target": host, "port": port, "healthy": ok})
    return {"healthy": ok}

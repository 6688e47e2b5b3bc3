"""The reference site's example function (`specs/functions/ingest/app.py`): the
health route the front doors' Route 53 health checks request, and input checks."""

import importlib.util
import json
import pathlib

APP = pathlib.Path(__file__).resolve().parents[2] / "specs" / "functions" / "ingest" / "app.py"


def load():
    spec = importlib.util.spec_from_file_location("ingest_app", APP)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_health_route_answers_200_without_touching_a_store(monkeypatch):
    app = load()
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    # No AWS client may be created: a health check must not depend on the stores.
    monkeypatch.setattr(app, "_clients", lambda: (_ for _ in ()).throw(AssertionError("no store")))
    event = {"rawPath": "/health", "requestContext": {"http": {"method": "GET"}}}
    response = app.handler(event, None)
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"status": "ok", "region": "us-west-2"}


def test_other_paths_are_transactions():
    app = load()
    event = {"rawPath": "/", "requestContext": {"http": {"method": "POST"}}, "body": "{}"}
    response = app.handler(event, None)
    assert response["statusCode"] == 400

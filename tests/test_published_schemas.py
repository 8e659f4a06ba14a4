"""schemas/openapi.json is generated from the API: it must match what the code serves."""

import json

from caremap.cli import render_openapi
from caremap.config import PROJECT_ROOT
from caremap.imports.contracts import published_schemas, render


def test_committed_openapi_matches_the_api(app):
    with app.app_context():
        generated = render_openapi()
    committed = (PROJECT_ROOT / "schemas" / "openapi.json").read_text(encoding="utf-8")
    assert committed == generated, "schemas/openapi.json is stale: run `make schemas` and commit it"


def test_openapi_is_served_and_documents_the_person_routes(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json["paths"]
    assert "/api/v1/people" in paths
    assert "/api/v1/people/{person_id}/merge" in paths
    assert (
        json.loads(json.dumps(response.json))["components"]["securitySchemes"]["bearerAuth"][
            "scheme"
        ]
        == "bearer"
    )


def test_committed_import_and_export_schemas_match_the_code():
    """Each JSON Schema `caremap export-schemas` writes beside openapi.json (the import
    formats, the indicator exports, the import error report), regenerated in memory."""
    for name, document in published_schemas().items():
        committed = (PROJECT_ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == render(document), f"schemas/{name} is stale: run `make schemas`"

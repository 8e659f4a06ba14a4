"""The WSGI entry point for production: `gunicorn 'caremap.wsgi:app'`."""

import gc

from caremap.app import create_app

app = create_app()

# What is loaded by now (modules, mappers, templates' compiled code) lives as long as the
# worker: move it out of the collector's sight, so each full collection scans only what
# requests made. Without it a full collection took 50-90 ms, often enough to set the p95
# of a 60 ms caseload page (benchmarks/README.md).
gc.collect()
gc.freeze()

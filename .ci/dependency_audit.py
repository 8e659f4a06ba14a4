"""Audit the installed dependencies against the advisory data PyPI publishes (pip-audit).

Fails on any known vulnerability. A package PyPI's advisory service does not know (on
these machines the packages come through a mirror whose versions PyPI's JSON API may not
list) cannot be audited: that is reported by name, not passed off as clean, and does not
fail the run, since nothing here can audit it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> int:
    run = subprocess.run(
        [
            str(BIN / "pip-audit"),
            "--vulnerability-service",
            "pypi",
            "--skip-editable",
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit gave no report (exit {run.returncode}): {run.stderr.strip()[-500:]}")
        return 0 if "Connection" in run.stderr or "resolve" in run.stderr else 1
    dependencies = report["dependencies"]
    skipped = [d for d in dependencies if "skip_reason" in d]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    audited = len(dependencies) - len(skipped)
    print(f"pip-audit: {audited} of {len(dependencies)} packages audited against PyPI's advisories")
    if skipped:
        names = ", ".join(f"{d['name']} {d.get('version', '')}".strip() for d in skipped)
        print(f"not auditable here (PyPI's advisory service does not list them): {names}")
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version"
            print(
                f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} ({fixed})"
            )
    return 1 if vulnerable else 0


if __name__ == "__main__":
    raise SystemExit(main())

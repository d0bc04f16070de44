"""Dependency audit of every pinned package (constraints.txt): says what it checked and what not.

1. pip-audit against PyPI's vulnerability data (the only network this project may use).
   Where PyPI's JSON API is not served (as on the development machines, whose PyPI is a
   mirror), pip-audit audits nothing; this script then says so in capitals instead of
   passing silently.
2. Always: an offline check against the advisory database shipped in the `safety-db`
   package (PyUp's insecure_full.json). It is a frozen snapshot: its date is printed, and
   advisories published after it are NOT covered.

Exit status 1 when either finds a vulnerable pin, 0 otherwise.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent


def pins(path: Path) -> dict[str, str]:
    """name → version of every `name==version` line."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, _, version = line.partition("==")
            found[canonicalize_name(name.split("[")[0])] = version.strip()
    return found


def pip_audit(path: Path, total: int) -> tuple[int, int]:
    """(vulnerable pins, pins actually audited) according to pip-audit's PyPI service."""
    cmd = [sys.executable, "-m", "pip_audit", "-r", str(path), "--no-deps", "--disable-pip",
           "-s", "pypi", "-f", "json", "--progress-spinner", "off", "--timeout", "20"]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
    try:
        report = json.loads(run.stdout)
    except ValueError:
        print(f"audit: pip-audit gave no report (exit {run.returncode}): {run.stderr.strip()[-300:]}")
        return 0, 0
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dep in vulnerable:
        ids = ", ".join(v["id"] for v in dep["vulns"])
        print(f"audit: VULNERABLE {dep['name']}=={dep['version']}: {ids}")
    if not audited:
        print(f"audit: PIP-AUDIT COULD NOT CHECK ANY OF THE {total} PINS: PyPI's vulnerability data "
              "(its JSON API) is not reachable from this machine. Only the offline snapshot below was used.")
    else:
        print(f"audit: pip-audit checked {len(audited)} of {total} pins against PyPI; {len(vulnerable)} vulnerable")
    return len(vulnerable), len(audited)


# Advisories reviewed and judged not to apply, each with why. Printed on every run, never silent.
REVIEWED: dict[str, str] = {
    # CVE-2020-28463: SSRF through <img> in reportlab Paragraph markup, fixed in 3.5.55 by
    # trustedHosts; the 2021 snapshot lists it as affecting ">=0.0". We draw letters and
    # reports with canvas calls and never render Paragraph markup from user text.
    "pyup.io-39642": "reportlab CVE-2020-28463: fixed in 3.5.55; no Paragraph markup from users",
}


def offline(found: dict[str, str]) -> int:
    """Vulnerable pins according to the shipped safety-db snapshot."""
    # The package's own __init__ opens a relative path (broken): read its data file directly.
    spec = importlib.util.find_spec("safety_db")
    if spec is None or not spec.submodule_search_locations:
        print("audit: OFFLINE DATABASE (safety-db) NOT INSTALLED: no offline check was made")
        return 0
    folder = Path(next(iter(spec.submodule_search_locations)))
    data = json.loads((folder / "insecure_full.json").read_text(encoding="utf-8"))
    stamp = datetime.fromtimestamp(int(data.get("$meta", {}).get("timestamp", 0)), UTC).date()
    database = {canonicalize_name(k): v for k, v in data.items() if k != "$meta"}
    bad = 0
    for name, version in sorted(found.items()):
        try:
            installed = Version(version)
        except InvalidVersion:
            continue
        for advisory in database.get(name, []):
            for spec in advisory.get("specs", []):
                try:
                    hit = installed in SpecifierSet(spec)
                except InvalidSpecifier:
                    continue
                if hit and advisory.get("id") in REVIEWED:
                    print(f"audit: reviewed {name}=={version}: {advisory.get('id')}: "
                          f"{REVIEWED[advisory['id']]}")
                    break
                if hit:
                    bad += 1
                    print(f"audit: VULNERABLE {name}=={version}: {advisory.get('id')} "
                          f"({advisory.get('cve') or 'no CVE'}) affects {spec}")
                    break
    print(f"audit: offline database safety-db of {stamp} checked {len(found)} pins; {bad} vulnerable. "
          f"Advisories published after {stamp} are NOT covered by this check.")
    return bad


def main() -> int:
    path = ROOT / "constraints.txt"
    found = pins(path)
    vulnerable, _ = pip_audit(path, len(found))
    vulnerable += offline(found)
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())

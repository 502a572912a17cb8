"""scripts/audit-dependencies against a local stand-in of PyPI's JSON API (a real HTTP server
on a free port), and against an address where nothing answers."""

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit-dependencies"

PROJECTS = {
    # name: (newest version, vulnerabilities of the newest version)
    "safe": ("1.0", []),
    "leaky": ("2.0", [{"id": "PYSEC-2026-1", "aliases": ["CVE-2026-1"], "fixed_in": ["2.1"]}]),
    "old": ("9.0", []),
}


class _FakePyPI(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        parts = self.path.strip("/").split("/")  # pypi/<name>/json or pypi/<name>/<v>/json
        project = PROJECTS.get(parts[1]) if len(parts) == 3 else None
        if project is None:
            self.send_error(404)
            return
        version, vulnerabilities = project
        body = json.dumps({"info": {"version": version}, "vulnerabilities": vulnerabilities})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_pypi():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakePyPI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/pypi"
    server.shutdown()
    server.server_close()


def _audit(tmp_path, lock: str, pypi_url: str) -> subprocess.CompletedProcess:
    path = tmp_path / "requirements.lock"
    path.write_text(lock)
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(path)],
        env={"PYPI_URL": pypi_url, "AUDIT_TIMEOUT": "5", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_vulnerable_pin_fails_the_audit(tmp_path, fake_pypi):
    result = _audit(tmp_path, "# comment\nsafe==1.0\nleaky==2.0\nold==1.0\n", fake_pypi)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "VULNERABLE leaky==2.0: PYSEC-2026-1, CVE-2026-1 (fixed in 2.1)" in result.stdout
    assert "2 of 3 pins audited" in result.stdout
    assert "not auditable here (a newer release exists): old==1.0" in result.stdout


def test_clean_pins_pass(tmp_path, fake_pypi):
    result = _audit(tmp_path, "safe==1.0\n", fake_pypi)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 of 1 pins audited, 0 known vulnerabilities" in result.stdout


def test_an_unreachable_source_warns_without_failing_ci(tmp_path):
    result = _audit(tmp_path, "safe==1.0\n", "http://127.0.0.1:1/pypi")
    assert result.returncode == 0
    assert "WARNING: dependency audit skipped, advisory source unreachable" in result.stdout

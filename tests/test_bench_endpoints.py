"""The site as deployed has none of the benchmarks' code: the load benchmark's yardsticks live in
bench/ and only bench.settings mounts them (no bare endpoints, no Server-Timing header here),
and neither the app nor the tests import bench/, which imports no test."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_the_site_has_no_bare_endpoints_and_no_timing_header(alice_client, alice):
    assert alice_client.get(f"/bench/read/{alice.pk}/").status_code == 404
    assert alice_client.post(f"/bench/update/{alice.pk}/").status_code == 404
    assert alice_client.get("/bench/read/me/").status_code == 404
    assert alice_client.post("/bench/update/me/").status_code == 404
    assert "Server-Timing" not in alice_client.get("/")


def imported(folder: str) -> set[tuple[str, str]]:
    """(file, top-level package) for every import in the folder's Python files."""
    found = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {(str(path.relative_to(ROOT)), name.split(".")[0]) for name in names}
    return found


def test_no_imports_between_the_app_the_tests_and_the_benchmarks():
    assert {(f, p) for f, p in imported("quizzes") | imported("quizsite") if p == "bench"} == set()
    assert {(f, p) for f, p in imported("tests") if p == "bench"} == set()
    assert {(f, p) for f, p in imported("bench") if p == "tests"} == set()
    assert ("bench/data.py", "quizzes") in imported("bench")  # the walk sees imports at all

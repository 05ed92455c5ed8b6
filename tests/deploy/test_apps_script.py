"""The Docs add-on (deploy/apps_script) against a live `docket serve`: a real HTTP round trip with real signed tokens.

This test is the driver: it makes the documents on the embedded default, starts `docket serve`
with DOCKET_AUTH_CERTS_URL pointing at the local OIDC signer (tests/support/oidc.py), mints ID
tokens shaped like ScriptApp.getIdentityToken()'s (audience = the add-on's OAuth client id, a
verified email, the Workspace `hd` claim), and runs the add-on's Node tests
(deploy/apps_script/test/, `node --test`, Apps Script globals stood in) against that server.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.processes import REPO, clean_env, executable, free_port, output_of, start, wait_for_health
from tests.support.oidc import OidcProvider

NODE = shutil.which("node")
_NO_NODE = "node is not on PATH: the Apps Script add-on tests run with Node 20+ (`node --test`)"
if NODE is None and os.environ.get("CI") == "true":
    raise RuntimeError(_NO_NODE + "; CI machines have it, so this is a broken CI")
pytestmark = pytest.mark.skipif(NODE is None, reason=_NO_NODE)

ADDON_TESTS = REPO / "deploy" / "apps_script" / "test"
CLIENT_ID = "123456789012-docketaddontest.apps.googleusercontent.com"
DOMAIN = "example.com"
MANAGER, REPORT, OUTSIDER = "maria@example.com", "sam@example.com", "nobody@example.com"

ROSTER = """
[organization]
name = "Deploy Check Support"
timezone = "America/New_York"
domains = ["{domain}"]

[google]
folder_id = "0ADeployCheckDrive"

[[one_on_one]]
manager = "{manager}"
manager_name = "María García"
report = "{report}"
report_name = "Sam Lee"
zendesk_user_id = "361234567"
weekday = "tuesday"
timezone = "Europe/Berlin"

[leadership]
weekday = "wednesday"
members = ["vp@example.com", "{manager}"]

[[leadership.standing_item]]
title = "Metrics and KPIs"
cadence = "weekly"

[service]
base_url = "{url}"

[auth]
audience = "{url}"
scheduler_service_accounts = ["docket-invoker@docket-test.iam.gserviceaccount.com"]
addon_client_ids = ["{client_id}"]
"""


def node_major() -> int:
    out = subprocess.run([str(NODE), "--version"], capture_output=True, text=True, check=True).stdout
    return int(re.match(r"v(\d+)", out.strip()).group(1))  # type: ignore[union-attr]


def docket(args: list[str], env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run([executable("docket"), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"docket {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def documents(env: dict[str, str], cwd: Path, config: Path) -> dict[str, str]:
    """kind -> document id, from `docket docs list` ("<kind> <id>  <name>" per line)."""
    found: dict[str, str] = {}
    for line in docket(["docs", "list", "--config", str(config)], env, cwd).splitlines():
        parts = line.split()
        if len(parts) >= 2:
            found.setdefault(parts[0], parts[1])
    return found


def test_the_docs_add_on_against_a_live_docket_serve(tmp_path: Path, oidc: OidcProvider) -> None:
    if node_major() < 20:
        if os.environ.get("CI") == "true":
            pytest.fail("the add-on tests need Node 20+ (built-in fetch and node:test); CI machines have it")
        pytest.skip("the add-on tests need Node 20+ (built-in fetch and node:test)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    config = tmp_path / "docket.toml"
    config.write_text(ROSTER.format(domain=DOMAIN, manager=MANAGER, report=REPORT, url=url, client_id=CLIENT_ID), encoding="utf-8")
    env = clean_env(DOCKET_DATA_DIR=str(tmp_path / "data"), DOCKET_AUTH_CERTS_URL=oidc.certs_url)

    # The documents exist before anyone opens the menu (the weekly job made them).
    docket(["weekly", "--config", str(config)], env, tmp_path)
    docs = documents(env, tmp_path, config)
    assert {"one_on_one", "leadership_agenda"} <= docs.keys(), docs

    server = start([executable("docket"), "serve", "--host", "127.0.0.1", "--port", str(port), "--config", str(config)], env, tmp_path)
    try:
        wait_for_health(url, server)

        def token(email: str) -> str:
            return oidc.mint(email=email, audience=CLIENT_ID, hosted_domain=DOMAIN)

        node_env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKET_")}
        node_env.update(
            DOCKET_URL=url,
            DOCKET_TEST_REQUIRE_LIVE="1",
            DOCKET_TEST_CLIENT_ID=CLIENT_ID,
            DOCKET_TEST_TOKEN_MANAGER=token(MANAGER),
            DOCKET_TEST_TOKEN_REPORT=token(REPORT),
            DOCKET_TEST_TOKEN_OUTSIDER=token(OUTSIDER),
            DOCKET_TEST_ONE_ON_ONE_DOC=docs["one_on_one"],
            DOCKET_TEST_AGENDA_DOC=docs["leadership_agenda"],
        )
        result = subprocess.run([str(NODE), "--test", str(ADDON_TESTS)], env=node_env, cwd=REPO,
                                capture_output=True, text=True, timeout=300)
    finally:
        server_log = output_of(server)
    report = f"node --test exited {result.returncode}\n--- node ---\n{result.stdout[-12000:]}\n{result.stderr[-4000:]}\n--- docket serve ---\n{server_log}"
    print(report)  # shown with -s or on failure
    assert result.returncode == 0, report
    # The live suite ran (not skipped): every test passed and none was skipped.
    assert re.search(r"^# skipped 0$", result.stdout, re.M), report
    assert re.search(r"^# fail 0$", result.stdout, re.M), report
    assert "live: Extensions ▸ Docket against docket serve" in result.stdout, report

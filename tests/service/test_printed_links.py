"""The links Docket prints (`docket link`, the local-view links of `docket weekly`) open where the service really answers.

service.base_url is where they point. On the machine's own backends `docket serve` listens there unless told
otherwise; told otherwise, it warns that the printed links point elsewhere; and the commands that print links warn
when nothing answers at base_url. Before, `docket serve` always took port 8080 (or --port) whatever base_url said,
and every printed link silently pointed at base_url.
"""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli import main
from tests.conftest import ROSTER, SHARED_DRIVE
from tests.deploy.processes import clean_env, executable, free_port, output_of, start, wait_for_health


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - urllib's signature
        return None


@pytest.fixture
def base_url() -> str:
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def config(tmp_path: Path, base_url: str) -> Path:
    path = tmp_path / "docket.toml"
    path.write_text(ROSTER.format(drive=SHARED_DRIVE).replace('base_url = "http://127.0.0.1:8080"', f'base_url = "{base_url}"'),
                    encoding="utf-8")
    return path


@pytest.fixture
def cli(config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DOCKET_CONFIG", str(config))
    monkeypatch.setenv("DOCKET_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DOCKET_GOOGLE_ENDPOINT", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    return CliRunner()


def _serve(config: Path, tmp_path: Path, *extra: str):
    env = clean_env(DOCKET_CONFIG=str(config), DOCKET_DATA_DIR=str(tmp_path / "data"))
    env.pop("PORT", None)
    return start([executable("docket"), "serve", *extra], env, tmp_path)


def test_printed_links_open_on_docket_serve_with_no_options(cli, config, tmp_path, base_url):
    weekly = cli.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert weekly.exit_code == 0, weekly.output
    views = re.findall(rf"{re.escape(base_url)}/local/docs/\S+", weekly.stdout)
    assert len(views) == 4, weekly.stdout
    server = _serve(config, tmp_path)
    try:
        wait_for_health(base_url, server)  # `docket serve` listens where base_url says
        for view in views:
            with urllib.request.urlopen(view.partition("#")[0], timeout=10) as page:
                assert page.status == 200
        link = cli.invoke(main, ["link", "--report", "sam@example.com"])
        assert link.exit_code == 0, link.output
        assert "nothing answers" not in link.output
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirected:
            opener.open(link.stdout.strip(), timeout=30)
        redirected.value.close()
        assert redirected.value.code == 302 and redirected.value.headers["Location"].startswith("/local/docs/")
    finally:
        output_of(server)  # stops it and closes its log


def test_serving_elsewhere_warns_that_the_printed_links_point_at_base_url(config, tmp_path, base_url):
    port = free_port()
    server = _serve(config, tmp_path, "--port", str(port))
    try:
        wait_for_health(f"http://127.0.0.1:{port}", server)
    finally:
        log = output_of(server)
    assert f"service.base_url is {base_url}, but this server answers on http://127.0.0.1:{port}" in log, log
    assert f'base_url = "http://127.0.0.1:{port}"' in log and str(config) in log


def test_link_and_weekly_warn_when_nothing_answers_at_base_url(cli, base_url):
    weekly = cli.invoke(main, ["weekly", "--date", "2026-11-18"])
    link = cli.invoke(main, ["link", "--report", "sam@example.com"])
    for result in (weekly, link):
        assert result.exit_code == 0, result.output
        assert f"warning: nothing answers at {base_url} (service.base_url) yet: run `docket serve`" in result.stderr


def test_a_weekly_run_that_wrote_nothing_prints_no_hint_about_links_above(cli, monkeypatch):
    monkeypatch.setenv("DOCKET_GOOGLE_ENDPOINT", f"http://127.0.0.1:{free_port()}")  # nothing listens: every document fails
    result = cli.invoke(main, ["weekly", "--date", "2026-11-18"])
    assert result.exit_code == 1 and "FAILED" in result.output, result.output
    assert "links above" not in result.output and "/local/docs/" not in result.output

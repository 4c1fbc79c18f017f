"""``codriver mcp apps`` and ``codriver mcp say`` with an apps file: what is mounted and what is
not (as JSON), one turn through an app with its confirmation, and a bad file as one clear line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

# the SDK: a bare "mcp" would also find this folder, tests/mcp
pytest.importorskip("mcp.client.stdio", reason="the [mcp] extra is not installed")

import yaml
from typer.testing import CliRunner

from codriver.cli.main import app, run

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def apps_file(tmp_path: Path, servers: list[dict[str, object]]) -> Path:
    path = tmp_path / "apps.yaml"
    path.write_text(yaml.safe_dump({"servers": servers}), encoding="utf-8")
    return path


COFFEE = {
    "name": "coffee",
    "title": {"en": "Coffee Express", "zh": "咖啡快订"},
    "stdio": {"command": sys.executable, "args": ["-m", "examples.mcp_servers.coffee"]},
    "scopes": ["food", "payments"],
    "tools": {"order": {"triggers": {"zh": ["点一杯"]}, "utterance_arg": "request"}},
}


def test_apps_lists_what_is_down_and_why(tmp_path: Path) -> None:
    missing = {"name": "gone", "stdio": {"command": str(tmp_path / "nope")}, "scopes": ["food"]}
    result = runner.invoke(
        app, ["mcp", "apps", "--apps", str(apps_file(tmp_path, [missing])), "--json"]
    )
    assert result.exit_code == 0, result.output
    [server] = json.loads(result.output)
    assert (server["server"], server["up"], server["tools"]) == ("gone", False, [])
    assert "No such file" in server["problem"] or "nope" in server["problem"]


def test_say_reaches_the_app_and_asks_before_paying(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    path = str(apps_file(tmp_path, [COFFEE]))
    result = runner.invoke(app, ["mcp", "say", "点一杯大杯拿铁", "--apps", path, "--yes"])
    assert result.exit_code == 0, result.output
    asked, done = result.output.splitlines()[:2]
    assert asked == "codriver [asked]: 这会产生费用，确定继续吗？"
    assert done.startswith("codriver [done]: 咖啡快订说：Order C")


def test_a_bad_apps_file_is_one_line_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = apps_file(tmp_path, [{"name": "Bad Name", "url": "http://x/mcp"}])
    monkeypatch.setattr(sys, "argv", ["codriver", "mcp", "apps", "--apps", str(bad)])
    with pytest.raises(SystemExit) as exit_info:
        run()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "servers.0.name" in err
    assert len(err.strip().splitlines()) == 1

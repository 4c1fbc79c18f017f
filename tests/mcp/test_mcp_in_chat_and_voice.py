"""Apps are there in the everyday front ends too: ``codriver chat --apps`` and ``codriver voice
--apps`` mount the example services and a paid order still waits for the occupant's yes."""

from __future__ import annotations

from pathlib import Path

import pytest

# the SDK: a bare "mcp" would also find this folder, tests/mcp
pytest.importorskip("mcp.client.stdio", reason="the [mcp] extra is not installed")

from typer.testing import CliRunner

from codriver.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
APPS = ROOT / "examples" / "mcp_servers" / "apps.yaml"


def test_chat_orders_a_coffee_after_a_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the example servers run as modules of the repository
    result = CliRunner().invoke(
        app,
        ["chat", "--apps", str(APPS)],
        input="order a large latte\nyes\nset the temperature to 21\n:quit\n",
    )
    assert result.exit_code == 0, result.output
    assert "This will cost money" in result.output
    assert "Coffee Express says: Order" in result.output
    assert "Temperature: 22 → 21" in result.output


def test_voice_orders_a_coffee_after_a_spoken_yes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    np = pytest.importorskip("numpy", reason="the [voice] extra is not installed")
    pytest.importorskip("piper", reason="the [voice] extra is not installed")
    from codriver.testing.voice import silence
    from codriver.voice.audio import to_rate, write_wav
    from codriver.voice.engines.piper import PiperSynthesizer

    voice = PiperSynthesizer(noise_scale=0)

    def say(text: str) -> object:
        return np.frombuffer(to_rate(voice.synthesize(text, "en")).pcm, dtype="<i2")

    clip = np.concatenate(
        [
            silence(0.5),
            say("Order a coffee, an americano please."),
            silence(3.0),
            say("Yes."),
            silence(1.5),
        ]
    )
    source = tmp_path / "order.wav"
    write_wav(source, clip.astype("<i2").tobytes(), 16_000)
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        app, ["voice", "--in", str(source), "--lang", "en", "--apps", str(APPS)]
    )
    assert result.exit_code == 0, result.output
    assert "This will cost money" in result.output
    assert "Coffee Express says: Order" in result.output

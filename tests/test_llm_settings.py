"""LLM settings: presets, the settings file, the environment and flags, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

from codriver.errors import ConfigError
from codriver.llm import make_brain
from codriver.llm.hybrid import HybridBrain
from codriver.llm.settings import load_settings
from codriver.understanding import LocalBrain

NO_FILE = Path("/nonexistent/codriver.toml")


def test_nothing_configured_means_no_llm_and_the_local_brain() -> None:
    assert load_settings(env={}, file=NO_FILE) is None
    assert isinstance(make_brain(None, None), LocalBrain)


def test_a_preset_fills_in_the_endpoint_and_the_key_comes_from_its_variable() -> None:
    settings = load_settings(
        {"preset": "dashscope"}, env={"DASHSCOPE_API_KEY": "sk-1"}, file=NO_FILE
    )
    assert settings is not None
    assert settings.base_url == "https://dashscope.aliyuncs.com/compatible-mode/v1"
    assert (settings.model, settings.api_key, settings.mode) == ("qwen-plus", "sk-1", "native")


def test_file_then_environment_then_flags(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    file.write_text('[llm]\npreset = "llamacpp"\nmodel = "from-file"\nbudget_s = 4\n')
    env = {"CODRIVER_LLM_MODEL": "from-env", "CODRIVER_LLM_BUDGET_S": "3"}
    settings = load_settings({"budget_s": 2.5}, env=env, file=file)
    assert settings is not None
    assert settings.base_url == "http://127.0.0.1:8080/v1"
    assert settings.mode == "structured"
    assert (settings.model, settings.budget_s) == ("from-env", 2.5)


def test_a_configured_llm_makes_hybrid_the_default() -> None:
    # the hybrid brain's client
    pytest.importorskip("openai", reason="the [llm] extra (openai) is not installed")
    settings = load_settings({"preset": "ollama"}, env={}, file=NO_FILE)
    assert isinstance(make_brain(None, settings), HybridBrain)


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        ({"preset": "chatgpt"}, "unknown LLM preset 'chatgpt'"),
        ({"base_url": "http://x/v1", "model": "m", "mode": "telepathy"}, "mode"),
        ({"base_url": "http://x/v1", "model": "m", "budget_s": -1}, "budget_s"),
        ({"base_url": "http://x/v1"}, "model"),
    ],
)
def test_bad_settings_are_a_clear_error(flags: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        load_settings(flags, env={}, file=NO_FILE)


def test_a_broken_settings_file_is_named(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    file.write_text("[llm\nmodel = 3")
    with pytest.raises(ConfigError, match=str(file)):
        load_settings(env={}, file=file)


def test_asking_for_the_llm_without_an_endpoint_says_how_to_configure_one() -> None:
    with pytest.raises(ConfigError, match="--llm-preset"):
        make_brain("llm", None)
    with pytest.raises(ConfigError, match="unknown brain"):
        make_brain("psychic", None)

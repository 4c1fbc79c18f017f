"""Where the LLM lives: base URL, model, key and tool-calling mode, from presets, a settings file,
the environment and command-line flags (later ones win)."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from codriver.errors import ConfigError

Mode = Literal["native", "structured"]


class LLMSettings(BaseModel):
    """One OpenAI-compatible chat endpoint and how codriver uses it."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(min_length=1)
    model: str = Field(min_length=1)
    api_key: str | None = None
    mode: Mode = "native"
    """``native``: the API's ``tools``/``tool_calls``; ``structured``: the tool list in the prompt
    and the reply constrained by a JSON schema (``response_format``), for small local models."""
    budget_s: float = Field(default=1.5, gt=0)
    """The turn's deadline for the LLM: after it, the hybrid brain gives the on-device answer (or
    an apology) and the LLM brain an apology, with nothing of the turn carried out."""
    timeout_s: float = Field(default=30.0, gt=0)
    """How long one model request may take at most, from asking to the last byte of the answer
    (streamed or not); the turn's ``budget_s`` usually ends it first."""
    temperature: float = Field(default=0.0, ge=0, le=2)
    max_steps: int = Field(default=4, ge=1, le=12)
    """Model round trips per agent and turn (tool calls, their results, the answer)."""
    agents: bool = False
    """Run the domain agents as a team under an LLM coordinator (more model calls, better for
    requests that span domains) instead of one agent holding every tool."""
    confident: float = Field(default=0.0, ge=0, le=1)
    """Hybrid: the on-device engine's confidence (share of words it understood) from which its
    workable plan is taken without the LLM. 0 by default: on the scenario suite the engine's
    plans were right at every confidence level (docs/llm.md), so confidence alone says nothing;
    raise it to let a strong model take more."""


PRESETS: Mapping[str, Mapping[str, Any]] = {
    # Alibaba Cloud Model Studio (DashScope), OpenAI-compatible mode; key in DASHSCOPE_API_KEY.
    "dashscope": {
        "base_url": "https://dashscope.aliyuncs.com/compatible-mode/v1",
        "model": "qwen-plus",
        "mode": "native",
    },
    "dashscope-intl": {
        "base_url": "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
        "model": "qwen-plus",
        "mode": "native",
    },
    # vLLM: `vllm serve Qwen/Qwen2.5-7B-Instruct --enable-auto-tool-choice
    #        --tool-call-parser hermes`
    "vllm": {"base_url": "http://127.0.0.1:8000/v1", "model": "Qwen/Qwen2.5-7B-Instruct"},
    # Ollama: `ollama pull qwen2.5:7b`
    "ollama": {"base_url": "http://127.0.0.1:11434/v1", "model": "qwen2.5:7b"},
    # llama.cpp server (or scripts/local_qwen.py serve) with a small Qwen GGUF.
    "llamacpp": {
        "base_url": "http://127.0.0.1:8080/v1",
        "model": "qwen2.5-coder-1.5b-instruct",
        "mode": "structured",
        "budget_s": 8.0,
        "timeout_s": 90.0,
    },
}

_ENV = {
    "base_url": "CODRIVER_LLM_BASE_URL",
    "model": "CODRIVER_LLM_MODEL",
    "api_key": "CODRIVER_LLM_API_KEY",
    "mode": "CODRIVER_LLM_MODE",
    "budget_s": "CODRIVER_LLM_BUDGET_S",
    "agents": "CODRIVER_LLM_AGENTS",
}


def default_config_file(env: Mapping[str, str] = os.environ) -> Path:
    """``$CODRIVER_CONFIG``, else ``~/.config/codriver/config.toml``."""
    if env.get("CODRIVER_CONFIG"):
        return Path(env["CODRIVER_CONFIG"])
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "codriver" / "config.toml"


def load_settings(
    flags: Mapping[str, object] | None = None,
    *,
    env: Mapping[str, str] = os.environ,
    file: Path | None = None,
) -> LLMSettings | None:
    """The configured endpoint, or None when nothing names one. Precedence: preset < settings
    file (``[llm]`` table) < environment < flags. A ``preset`` key may appear at any level."""
    layers: list[dict[str, object]] = [_from_file(file or default_config_file(env))]
    layers.append({k: env[v] for k, v in _ENV.items() if env.get(v)})
    if env.get("CODRIVER_LLM_PRESET"):
        layers[-1]["preset"] = env["CODRIVER_LLM_PRESET"]
    layers.append({k: v for k, v in (flags or {}).items() if v is not None})
    merged: dict[str, object] = {}
    for layer in layers:
        preset = layer.pop("preset", None)
        if preset is not None:
            merged.update(_preset(str(preset)))
        merged.update(layer)
    if not merged.get("base_url"):
        return None
    if merged.get("api_key") is None and "dashscope" in str(merged["base_url"]):
        merged["api_key"] = env.get("DASHSCOPE_API_KEY")
    try:
        return LLMSettings.model_validate(merged)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"LLM settings: {problems}") from exc


def _preset(name: str) -> Mapping[str, Any]:
    if name not in PRESETS:
        raise ConfigError(f"unknown LLM preset {name!r}: use one of {', '.join(PRESETS)}")
    return PRESETS[name]


def _from_file(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    table = raw.get("llm", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [llm] must be a table")
    return dict(table)

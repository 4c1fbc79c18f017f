"""The shared YAML reader: the same values as PyYAML's safe and base loaders, faster."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest
import yaml

from codriver.yamlfile import (
    C_LOADER,
    CACHE_MAX_FILES,
    CACHE_MIN_CHARS,
    YAMLError,
    load_yaml,
    read_yaml,
)

DOCUMENT = """
words: [on, "off", 开]
level: 3
ratio: 0.5
when: 2026-12-07
none: ~
nested: {a: [1, two]}
"""


def test_typed_scalars_as_the_safe_loader_reads_them() -> None:
    assert load_yaml(DOCUMENT) == yaml.safe_load(DOCUMENT)
    assert load_yaml(DOCUMENT)["words"] == [True, "off", "开"]


def test_plain_keeps_every_scalar_a_string() -> None:
    assert load_yaml(DOCUMENT, plain=True) == yaml.load(DOCUMENT, Loader=yaml.BaseLoader)
    assert load_yaml(DOCUMENT, plain=True)["level"] == "3"


def test_the_c_loader_is_used_when_pyyaml_has_libyaml() -> None:
    assert C_LOADER is yaml.__with_libyaml__


@pytest.mark.parametrize(
    "text", ["a: [1, 2", "a: b: c", "- a\nb: 1"], ids=["open", "nested", "mixed"]
)
def test_a_malformed_document_raises_the_yaml_error(text: str) -> None:
    with pytest.raises(YAMLError):
        load_yaml(text)


def test_packaged_files_are_read_by_package_and_name() -> None:
    profile = read_yaml("codriver.vehicle", "data/sedan.yaml")
    assert profile["name"]
    assert isinstance(profile["defaults"], dict)


BIG = "items:\n" + "".join(f"  - {{name: item {i}, on: yes, level: {i}}}\n" for i in range(120))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CODRIVER_CACHE_DIR", str(folder))
    return folder


def test_a_large_document_is_cached_and_read_back_as_parsed(cache: Path) -> None:
    assert len(BIG) >= CACHE_MIN_CHARS
    first = load_yaml(BIG)
    assert first == yaml.safe_load(BIG)
    assert len(list(cache.glob("*.marshal"))) == 1
    again = load_yaml(BIG)
    assert again == first
    assert again is not first  # every caller gets its own copy to change
    assert load_yaml(BIG, plain=True) == yaml.load(BIG, Loader=yaml.BaseLoader)
    assert len(list(cache.glob("*.marshal"))) == 2  # plain and typed are kept apart


def test_the_cache_is_what_is_read_when_present(cache: Path) -> None:
    load_yaml(BIG)
    (stored,) = cache.glob("*.marshal")
    stored.write_bytes(marshal.dumps({"from": "the cache"}))
    assert load_yaml(BIG) == {"from": "the cache"}
    changed = BIG + "extra: 1\n"
    assert load_yaml(changed)["extra"] == 1  # a changed text has its own entry


def test_a_broken_cache_entry_is_parsed_again(cache: Path) -> None:
    load_yaml(BIG)
    (stored,) = cache.glob("*.marshal")
    stored.write_bytes(b"\x00not marshal")
    assert load_yaml(BIG) == yaml.safe_load(BIG)


def test_dates_and_small_documents_are_not_cached(cache: Path) -> None:
    dated = BIG + "when: 2026-12-07\n"
    assert str(load_yaml(dated)["when"]) == "2026-12-07"
    assert load_yaml("a: 1") == {"a": 1}
    assert list(cache.glob("*.marshal")) == []


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODRIVER_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert load_yaml(BIG) == yaml.safe_load(BIG)
    assert list(tmp_path.rglob("*.marshal")) == []


def test_an_unwritable_cache_folder_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CODRIVER_CACHE_DIR", str(blocked / "yaml"))
    assert load_yaml(BIG) == yaml.safe_load(BIG)


def test_the_cache_keeps_at_most_its_limit(cache: Path) -> None:
    for i in range(CACHE_MAX_FILES + 1):
        load_yaml(BIG + f"n: {i}\n")
    assert len(list(cache.glob("*.marshal"))) <= CACHE_MAX_FILES

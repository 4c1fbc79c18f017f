"""The shared YAML reader: the same values as PyYAML's safe and base loaders, faster."""

from __future__ import annotations

import pytest
import yaml

from codriver.yamlfile import C_LOADER, YAMLError, load_yaml, read_yaml

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

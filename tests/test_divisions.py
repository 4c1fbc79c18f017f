"""China's divisions by name: short names, which division wins a shared name, names that lead."""

from __future__ import annotations

from codriver.services.maps.divisions import divisions, short_name
from codriver.services.maps.offline import offline_maps


def test_short_names_drop_the_unit_only_where_people_do() -> None:
    assert short_name("许昌市") == "许昌"
    assert short_name("广西壮族自治区") == "广西"
    assert short_name("恩施土家族苗族自治州") == "恩施"
    assert short_name("朝阳区") is None  # districts keep their unit: "朝阳" is a word
    assert short_name("忠县") is None  # one character left is no name


def test_a_shared_name_goes_to_the_city_then_the_province() -> None:
    table = divisions()
    jilin, hainan = table.named("吉林"), table.named("海南")
    assert jilin is not None and jilin.name == "吉林市"
    assert hainan is not None and hainan.name == "海南省"
    assert table.named("长安") is None  # only districts are called so


def test_a_name_that_leads_with_a_division() -> None:
    found = divisions().leading("石家庄碧桂园")
    assert found is not None
    assert (found[0].name, found[1]) == ("石家庄市", "碧桂园")
    assert divisions().leading("碧桂园") is None


def test_the_map_finds_a_division_it_does_not_hold_and_keeps_its_own_exact_places() -> None:
    maps = offline_maps()
    near = (31.2304, 121.4737)
    (luoyang,) = maps.search("洛阳", near=near, lang="zh", limit=1)
    assert luoyang.place.name_zh == "洛阳市" and luoyang.place.category == "city"
    assert luoyang.distance_m is not None and 800_000 < luoyang.distance_m < 1_300_000
    (bund,) = maps.search("外滩", near=near, lang="zh", limit=1)
    assert not bund.place.id.startswith("cn-")

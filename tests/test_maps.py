"""Maps and energy: the offline places, search in both languages, ambiguity, nearest by category,
route estimates, range reasoning and charging stops, and the navigation tools on a simulated car."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from datetime import datetime

import pytest

from codriver.assistant import Assistant
from codriver.assistant.result import TurnResult
from codriver.services.maps import (
    CATEGORIES,
    LatLon,
    OfflineMaps,
    Place,
    arrival_time,
    battery_after,
    charge_time_s,
    check_range,
    choose_charging_stop,
    haversine_m,
    offline_maps,
    pick,
    places,
    plan_trip,
    resolve,
)
from codriver.testing import ScriptedBrain, offline_assistant
from codriver.text import detect_lang
from codriver.tools import ToolContext, default_toolbox
from codriver.vehicle import Value

MAPS = offline_maps()
PEOPLES_SQUARE: LatLon = (31.2304, 121.4737)
MUNICH_HBF: LatLon = (48.1402, 11.5586)
RANGE = "Vehicle.Powertrain.Range"
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
DESTINATION = "Cockpit.Navigation.Destination"
WAYPOINTS = "Cockpit.Navigation.Waypoints"
DEST_LAT = "Vehicle.Cabin.Infotainment.Navigation.DestinationSet.Latitude"
DEST_LON = "Vehicle.Cabin.Infotainment.Navigation.DestinationSet.Longitude"
SERVICES = sorted(places.SERVICES)


def place(place_id: str) -> Place:
    found = MAPS.get(place_id)
    assert found is not None, place_id
    return found


def km(a: LatLon, b: LatLon) -> float:
    return haversine_m(a, b) / 1000.0


# -- the data ------------------------------------------------------------------------------


def test_every_place_has_both_names_and_a_known_category() -> None:
    for item in MAPS.places:
        assert item.name_en.strip() and item.name_zh.strip(), item.id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in item.name_zh), item.id
        assert item.category in CATEGORIES
    assert len({p.id for p in MAPS.places}) == len(MAPS.places)


@pytest.mark.parametrize("centre", [PEOPLES_SQUARE, MUNICH_HBF], ids=["shanghai", "munich"])
@pytest.mark.parametrize("category", SERVICES)
def test_each_service_has_several_places_near_both_cities(centre: LatLon, category: str) -> None:
    near = [p for p in MAPS.places if p.category == category and km(centre, p.at) < 120]
    assert len(near) >= 3


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("sh-bund", "sh-oriental-pearl", 0.6, 1.3),  # across the Huangpu river
        ("sh-hongqiao-airport", "sh-pudong-airport", 42, 49),
        ("sh-hongqiao-airport", "sh-hongqiao-station", 1, 3),  # the same transport hub
        ("sh-peoples-square", "sh-jingan-temple", 2.5, 3.5),
        ("sh-peoples-square", "hz-west-lake", 160, 175),
        ("mu-marienplatz", "mu-airport", 27, 31),
        ("mu-marienplatz", "mu-allianz-arena", 9, 11.5),
        ("mu-hbf", "mu-marienplatz", 1, 1.6),
    ],
    ids=[
        "bund-pearl-tower",
        "sha-pvg",
        "hongqiao-hub",
        "square-jingan",
        "shanghai-hangzhou",
        "marienplatz-muc",
        "marienplatz-arena",
        "hbf-marienplatz",
    ],
)
def test_coordinates_are_where_the_places_are(a: str, b: str, low: float, high: float) -> None:
    assert low <= km(place(a).at, place(b).at) <= high


# -- search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Bund", "sh-bund"),
        ("外滩", "sh-bund"),
        ("那个外滩", "sh-bund"),
        ("外滩看夜景", "sh-bund"),
        ("Oriental Pearl Tower", "sh-oriental-pearl"),
        ("东方明珠", "sh-oriental-pearl"),
        ("东方名珠", "sh-oriental-pearl"),
        ("PVG", "sh-pudong-airport"),
        ("浦东国际机场", "sh-pudong-airport"),
        ("Pudong airport", "sh-pudong-airport"),
        ("SHA", "sh-hongqiao-airport"),
        ("虹桥机场", "sh-hongqiao-airport"),
        ("Hongqiao railway station", "sh-hongqiao-station"),
        ("虹桥火车站", "sh-hongqiao-station"),
        ("Shanghai Railway Station", "sh-railway-station"),
        ("Jing'an Temple", "sh-jingan-temple"),
        ("jingan temple", "sh-jingan-temple"),
        ("xujiahiu", "sh-xujiahui"),
        ("People's Square", "sh-peoples-square"),
        ("Disneyland", "sh-disneyland"),
        ("迪士尼", "sh-disneyland"),
        ("杭州", "hz-city"),
        ("Hangzhou West Lake", "hz-west-lake"),
        ("杭州西湖", "hz-west-lake"),
        ("外滩停车场", "sh-park-bund"),
        ("Munich airport", "mu-airport"),
        ("慕尼黑机场", "mu-airport"),
        ("Marienplatz from", "mu-marienplatz"),
        ("Englischer Garten", "mu-english-garden"),
        ("英国花园", "mu-english-garden"),
        ("安联球场", "mu-allianz-arena"),
    ],
    ids=lambda v: str(v),
)
def test_search_finds_one_place_by_name_in_either_language(text: str, expected: str) -> None:
    found = resolve(MAPS.search(text, near=PEOPLES_SQUARE))
    assert found.kind == "found", [(m.place.id, m.score) for m in found.matches]
    assert found.match.place.id == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the airport", {"sh-hongqiao-airport", "sh-pudong-airport"}),
        ("机场", {"sh-hongqiao-airport", "sh-pudong-airport"}),
        ("去机场", {"sh-hongqiao-airport", "sh-pudong-airport"}),
        ("Hongqiao", {"sh-hongqiao-airport", "sh-hongqiao-station"}),
        ("虹桥", {"sh-hongqiao-airport", "sh-hongqiao-station"}),
        ("the railway station", {"sh-railway-station", "sh-south-station", "sh-hongqiao-station"}),
    ],
    ids=["airport-en", "airport-zh", "airport-zh-verb", "hongqiao-en", "hongqiao-zh", "station"],
)
def test_equally_good_places_are_ambiguous_with_equal_scores(text: str, expected: set[str]) -> None:
    matches = MAPS.search(text, near=PEOPLES_SQUARE)
    found = resolve(matches)
    assert found.kind == "ambiguous"
    assert {m.place.id for m in found.matches} == expected
    assert len({m.score for m in found.matches}) == 1


def test_the_airport_in_munich_is_the_only_one_there() -> None:
    found = resolve(MAPS.search("the airport", near=MUNICH_HBF))
    assert found.kind == "found"
    assert found.match.place.id == "mu-airport"


@pytest.mark.parametrize(
    ("text", "near", "category"),
    [
        ("nearest charging station", PEOPLES_SQUARE, "charging"),
        ("最近的充电站", PEOPLES_SQUARE, "charging"),
        ("closest car park", PEOPLES_SQUARE, "parking"),
        ("找个停车场", PEOPLES_SQUARE, "parking"),
        ("a coffee shop", PEOPLES_SQUARE, "coffee"),
        ("服务区", PEOPLES_SQUARE, "rest_area"),
        ("最近的洗手间", PEOPLES_SQUARE, "toilet"),
        ("厕所", PEOPLES_SQUARE, "toilet"),
        ("restroom", PEOPLES_SQUARE, "toilet"),
        ("nearest hospital", PEOPLES_SQUARE, "hospital"),
        ("找个加油站", PEOPLES_SQUARE, "fuel"),
        ("somewhere to eat", PEOPLES_SQUARE, "restaurant"),
        ("nearest charging station", MUNICH_HBF, "charging"),
        ("nearest rest area", MUNICH_HBF, "rest_area"),
        ("最近的咖啡店", MUNICH_HBF, "coffee"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_nearest_by_category_is_the_closest_of_that_kind(
    text: str, near: LatLon, category: str
) -> None:
    found = resolve(MAPS.search(text, near=near))
    assert found.kind == "found"
    closest = min((p for p in MAPS.places if p.category == category), key=lambda p: km(near, p.at))
    assert found.match.place == closest


def test_nearest_lists_places_nearest_first() -> None:
    found = MAPS.nearest("charging", PEOPLES_SQUARE, limit=3)
    distances = [m.distance_m or 0.0 for m in found]
    assert len(found) == 3
    assert distances == sorted(distances)
    assert all(m.place.category == "charging" for m in found)


@pytest.mark.parametrize("text", ["Eiffel Tower", "qwertyuiop", "", "   ", "埃菲尔铁塔"])
def test_nothing_found_is_an_empty_result(text: str) -> None:
    assert MAPS.search(text, near=PEOPLES_SQUARE) == []
    assert resolve(MAPS.search(text)).kind == "not_found"


# -- routes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "destination", "low_km", "high_km", "low_min", "high_min"),
    [
        ("sh-peoples-square", "sh-bund", 2, 4, 4, 15),
        ("sh-peoples-square", "sh-pudong-airport", 40, 55, 40, 80),
        ("sh-peoples-square", "hz-west-lake", 170, 200, 120, 210),
        ("sh-peoples-square", "sz-city", 85, 110, 70, 130),
        ("mu-marienplatz", "mu-airport", 30, 45, 30, 70),
    ],
    ids=["bund", "pudong-airport", "west-lake", "suzhou", "munich-airport"],
)
def test_route_estimates_are_plausible(
    origin: str,
    destination: str,
    low_km: float,
    high_km: float,
    low_min: float,
    high_min: float,
) -> None:
    route = MAPS.route(place(origin).at, place(destination).at)
    assert low_km <= route.distance_m / 1000 <= high_km
    assert low_min <= route.duration_s / 60 <= high_min


def test_a_stop_on_the_way_makes_the_route_longer_by_its_legs() -> None:
    start, end = PEOPLES_SQUARE, place("sh-pudong-airport").at
    stop = place("sh-oriental-pearl").at
    direct, via = MAPS.route(start, end), MAPS.route(start, end, [stop])
    assert len(via.legs) == 2
    assert via.distance_m == pytest.approx(sum(leg.distance_m for leg in via.legs))
    assert via.distance_m > direct.distance_m
    assert via.duration_s > direct.duration_s


# -- range reasoning -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("distance_km", "range_km", "soc", "enough", "reserve_km", "soc_after"),
    [
        (190, 400, 80, True, 20, 42.0),
        (190, 150, 30, False, 20, 0.0),
        (300, 400, 80, True, 30, 20.0),
        (180, 200, 40, True, 20, 4.0),
        (180, 199.9, 40, False, 20, 3.98),
        (10, 25, 5, False, 20, 3.0),
    ],
    ids=["hangzhou-yes", "hangzhou-no", "ten-percent", "exactly-reserve", "just-short", "min-20"],
)
def test_range_check_uses_a_reserve_of_ten_percent_and_at_least_20_km(
    distance_km: float,
    range_km: float,
    soc: float,
    enough: bool,
    reserve_km: float,
    soc_after: float,
) -> None:
    check = check_range(distance_km * 1000, range_km * 1000, soc)
    assert check.enough is enough
    assert check.reserve_m == pytest.approx(reserve_km * 1000)
    assert check.needed_m == pytest.approx((distance_km + reserve_km) * 1000)
    assert check.soc_on_arrival == pytest.approx(soc_after, abs=0.01)
    assert check.shortfall_m == pytest.approx(
        max(0.0, (distance_km + reserve_km - range_km) * 1000)
    )


def test_battery_time_and_arrival_arithmetic() -> None:
    assert battery_after(100_000, 400_000, 80) == pytest.approx(60.0)
    assert battery_after(500_000, 400_000, 80) == 0.0
    assert battery_after(100_000, 400_000, None) is None
    assert charge_time_s(10, 80) == pytest.approx(0.7 * 75 / 90 * 3600)
    assert charge_time_s(90, 80) == 0.0
    assert arrival_time(datetime(2025, 5, 1, 9, 30), 5400) == datetime(2025, 5, 1, 11, 0)


def _line_place(place_id: str, lon: float) -> Place:
    return Place(place_id, place_id, "充电站" + place_id, "charging", 0.0, lon, "Nowhere")


def _flat(a: LatLon, b: LatLon) -> float:
    return abs(a[1] - b[1]) * 100_000.0  # 1 degree of longitude = 100 km on this test line


@pytest.mark.parametrize(
    ("range_km", "soc", "expected"),
    [
        (150, 30, "B"),  # A, B within reach and both cover the rest: B is further along
        (70, 14, "A"),  # only A within reach with the reserve
        (30, 6, None),  # nothing within reach
    ],
    ids=["furthest-along", "only-reachable", "none-in-reach"],
)
def test_charging_stop_is_reachable_and_covers_the_rest(
    range_km: float, soc: float, expected: str | None
) -> None:
    chargers = [_line_place("A", 0.5), _line_place("B", 1.0), _line_place("C", 1.9)]
    stop = choose_charging_stop(
        (0.0, 0.0), (0.0, 2.0), chargers, range_km * 1000, soc, distance=_flat
    )
    if expected is None:
        assert stop is None
        return
    assert stop is not None
    assert stop.place.id == expected
    assert stop.covers_rest
    assert stop.to_stop_m + max(20_000, 0.1 * stop.to_stop_m) <= range_km * 1000


def test_without_a_charger_that_covers_the_rest_the_stop_leaves_least_to_drive() -> None:
    chargers = [_line_place("A", 0.3), _line_place("B", 0.6)]
    stop = choose_charging_stop((0.0, 0.0), (0.0, 9.0), chargers, 100_000, 20, distance=_flat)
    assert stop is not None
    assert stop.place.id == "B"
    assert not stop.covers_rest


def test_hangzhou_with_a_low_battery_gets_a_charger_on_the_g60() -> None:
    hangzhou = place("hz-city").at
    plan = plan_trip(MAPS, PEOPLES_SQUARE, hangzhou, 150_000, 30)
    assert plan.needs_charging
    assert plan.stop is not None
    assert plan.stop.place.category == "charging"
    assert "G60" in plan.stop.place.name_en
    assert plan.stop.covers_rest
    assert plan.stop.detour_m < 10_000
    assert plan.stop.to_stop_m + 20_000 <= 150_000
    assert plan.soc_on_arrival is not None and plan.soc_on_arrival > 20
    assert plan.duration_s > plan.route.duration_s  # charging takes time


def test_a_trip_within_range_needs_no_stop() -> None:
    plan = plan_trip(MAPS, PEOPLES_SQUARE, place("hz-city").at, 400_000, 80)
    assert not plan.needs_charging
    assert plan.stop is None
    assert plan.duration_s == plan.route.duration_s


# -- the tools on a simulated car ----------------------------------------------------------


def turn(
    calls: Sequence[tuple[str, Mapping[str, object]]],
    text: str = "go",
    given: Mapping[str, Value] | None = None,
) -> tuple[Assistant, TurnResult]:
    assistant = offline_assistant(brain=ScriptedBrain.calls(calls))

    async def go() -> TurnResult:
        if given:
            await assistant.preset(given)
        return await assistant.say(text)

    return assistant, asyncio.run(go())


def read(assistant: Assistant, path: str) -> Value | None:
    return asyncio.run(assistant.executor.state()).get(path)


@pytest.mark.parametrize(
    ("text", "place_said", "name", "reply"),
    [
        (
            "take me to the Bund",
            "Bund",
            "The Bund",
            r"^Navigating to The Bund, 2\.\d km, about \d+ minutes\.$",
        ),
        ("导航去外滩", "外滩", "外滩", r"^开始导航去外滩，2\.\d公里，约\d+分钟。$"),
        ("take me to PVG", "PVG", "Pudong Airport", r"Pudong Airport, 4\d km"),
    ],
    ids=["en", "zh", "code"],
)
def test_navigate_to_writes_the_resolved_name_and_position(
    text: str, place_said: str, name: str, reply: str
) -> None:
    assistant, result = turn([("navigate_to", {"place": place_said})], text)
    assert result.outcome == "done"
    assert read(assistant, DESTINATION) == name
    assert read(assistant, WAYPOINTS) == []
    target = resolve(MAPS.search(name)).match.place
    assert read(assistant, DEST_LAT) == pytest.approx(target.lat)
    assert read(assistant, DEST_LON) == pytest.approx(target.lon)
    assert re.search(reply, result.reply), result.reply


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("take me to the airport", "Which one: Hongqiao Airport or Pudong Airport?"),
        ("去机场", "去哪个机场：虹桥机场还是浦东机场？"),
    ],
    ids=["en", "zh"],
)
def test_navigate_to_an_ambiguous_place_asks_then_takes_the_answer(text: str, reply: str) -> None:
    said = "airport" if text.startswith("take") else "机场"
    assistant, result = turn([("navigate_to", {"place": said})], text)
    assert result.outcome == "asked"
    assert result.reply == reply
    assert result.changes == ()
    assert read(assistant, DESTINATION) == ""
    answer = "Pudong, please" if text.startswith("take") else "浦东的"
    chosen = asyncio.run(assistant.say(answer))
    assert chosen.outcome == "done"
    assert "Pudong" in read(assistant, DESTINATION) or "浦东" in read(assistant, DESTINATION)


@pytest.mark.parametrize(
    ("text", "said", "reply"),
    [
        ("take me to the Eiffel Tower", "Eiffel Tower", "I couldn't find Eiffel Tower."),
        ("导航去埃菲尔铁塔", "埃菲尔铁塔", "没有找到埃菲尔铁塔。"),
    ],
    ids=["en", "zh"],
)
def test_navigate_to_an_unknown_place_says_so(text: str, said: str, reply: str) -> None:
    _, result = turn([("navigate_to", {"place": said})], text)
    assert result.outcome == "refused"
    assert result.reply == reply
    assert result.changes == ()


def test_navigate_beyond_the_range_adds_a_charging_stop() -> None:
    given: dict[str, Value] = {RANGE: 150_000, SOC: 30}
    assistant, result = turn([("navigate_to", {"place": "Hangzhou"})], "go to Hangzhou", given)
    assert result.outcome == "done"
    assert read(assistant, DESTINATION) == "Hangzhou"
    stops = read(assistant, WAYPOINTS)
    assert isinstance(stops, list) and len(stops) == 1
    charger = resolve(MAPS.search(str(stops[0]))).match.place
    assert charger.category == "charging"
    assert "beyond your 150 km range" in result.reply
    assert "charging stop" in result.reply


def test_navigate_beyond_the_range_with_no_charger_in_reach_warns() -> None:
    given: dict[str, Value] = {RANGE: 10_000, SOC: 2}
    assistant, result = turn([("navigate_to", {"place": "杭州"})], "导航去杭州", given)
    assert result.outcome == "done"
    assert read(assistant, DESTINATION) == "杭州"
    assert read(assistant, WAYPOINTS) == []
    assert "没有充电站" in result.reply


def test_navigate_to_the_nearest_charger_from_the_cars_position() -> None:
    given: dict[str, Value] = {
        "Vehicle.CurrentLocation.Latitude": MUNICH_HBF[0],
        "Vehicle.CurrentLocation.Longitude": MUNICH_HBF[1],
    }
    call = ("navigate_to", {"place": "nearest charging station"})
    assistant, result = turn([call], "nearest charger", given)
    nearest = MAPS.nearest("charging", MUNICH_HBF, limit=1)[0].place
    assert result.outcome == "done"
    assert read(assistant, DESTINATION) == nearest.name_en


@pytest.mark.parametrize(
    ("given", "text", "said", "verdict"),
    [
        ({}, "can I make it to Hangzhou without charging?", "Hangzhou", "you can make it"),
        (
            {RANGE: 150_000, SOC: 30},
            "can I make it to Hangzhou without charging?",
            "Hangzhou",
            "won't make it without charging",
        ),
        ({}, "我能不充电开到杭州吗", "杭州", "不用充电就能到"),
        ({RANGE: 150_000, SOC: 30}, "我能不充电开到杭州吗", "杭州", "不充电到不了"),
    ],
    ids=["en-yes", "en-no", "zh-yes", "zh-no"],
)
def test_trip_info_gives_the_verdict_with_the_numbers(
    given: dict[str, Value], text: str, said: str, verdict: str
) -> None:
    _, result = turn([("trip_info", {"place": said})], text, given)
    route = MAPS.route(PEOPLES_SQUARE, place("hz-city").at)
    range_m = float(given.get(RANGE, 400_000))  # type: ignore[arg-type]
    check = check_range(route.distance_m, range_m, float(given.get(SOC, 80)))  # type: ignore[arg-type]
    assert result.outcome == "answered"
    assert result.changes == ()
    assert verdict in result.reply
    unit = "公里" if detect_lang(text) == "zh" else " km"
    assert f"{round(route.distance_m / 1000)}{unit}" in result.reply
    assert f"{round(range_m / 1000)}{unit}" in result.reply
    if check.enough:
        assert f"{round(check.soc_on_arrival or 0)}%" in result.reply
    else:
        assert f"{round(check.needed_m / 1000)}{unit}" in result.reply


def test_trip_info_without_a_place_is_about_the_active_route() -> None:
    given: dict[str, Value] = {DESTINATION: "浦东国际机场"}
    _, result = turn([("trip_info", {})], "how far is it?", given)
    assert result.outcome == "answered"
    assert result.reply.startswith("The route to Pudong Airport is 4")


def test_add_waypoint_resolves_the_stop_and_keeps_the_destination() -> None:
    given: dict[str, Value] = {DESTINATION: "浦东国际机场"}
    call = ("add_waypoint", {"place": "Oriental Pearl Tower"})
    assistant, result = turn([call], "add a stop at the Oriental Pearl Tower", given)
    assert result.outcome == "done"
    assert read(assistant, WAYPOINTS) == ["Oriental Pearl Tower"]
    assert read(assistant, DESTINATION) == "浦东国际机场"
    assert "the trip is now" in result.reply


@pytest.mark.parametrize(
    ("category", "text", "count"),
    [("coffee", "coffee nearby?", 3), ("充电站", "附近有充电站吗", 3), ("rest_area", "rest?", 3)],
    ids=["coffee", "charging-zh", "category-id"],
)
def test_find_nearby_lists_the_nearest_few(category: str, text: str, count: int) -> None:
    assistant, result = turn([("find_nearby", {"category": category})], text)
    assert result.outcome == "asked"  # the places are offered: "take me there" picks one
    separator = "；" if detect_lang(text) == "zh" else "; "
    assert result.reply.count(separator) == count - 1
    asyncio.run(assistant.say("take me there" if separator == "; " else "去那里"))
    assert read(assistant, DESTINATION)


def test_find_nearby_an_unknown_kind_says_so() -> None:
    _, result = turn([("find_nearby", {"category": "unicorn stable"})], "unicorns?")
    assert result.outcome == "refused"
    assert "unicorn stable" in result.reply


def test_without_a_map_the_tools_keep_the_place_as_said() -> None:
    toolbox = default_toolbox()
    navigate, info = toolbox.get("navigate_to"), toolbox.get("trip_info")
    assert navigate is not None and info is not None
    state: dict[str, Value | None] = {DESTINATION: "", WAYPOINTS: []}
    effect = navigate.run(ToolContext(state), {"place": "the Bund"})
    assert {w.path: w.value for w in effect.writes} == {DESTINATION: "the Bund", WAYPOINTS: []}
    assert info.run(ToolContext(state), {"place": "the Bund"}).failed is not None


def test_a_provider_over_custom_places_works_the_same() -> None:
    maps = OfflineMaps([_line_place("A", 0.5), _line_place("B", 1.0)])
    found = resolve(maps.search("nearest charging station", near=(0.0, 0.9)))
    assert found.kind == "found"
    assert found.match.place.id == "B"


@pytest.mark.parametrize(
    ("answer", "options", "expected"),
    [
        ("虹桥", ("sh-hongqiao-airport", "sh-pudong-airport"), "sh-hongqiao-airport"),
        ("Pudong", ("sh-hongqiao-airport", "sh-pudong-airport"), "sh-pudong-airport"),
        (
            "the railway station",
            ("sh-hongqiao-airport", "sh-hongqiao-station"),
            "sh-hongqiao-station",
        ),
        ("浦东机场", ("sh-hongqiao-airport", "sh-pudong-airport"), "sh-pudong-airport"),
        ("虹桥", ("sh-hongqiao-airport", "sh-hongqiao-station"), None),
        ("Munich", ("sh-hongqiao-airport", "sh-pudong-airport"), None),
    ],
    ids=["hongqiao-zh", "pudong-en", "by-kind", "full-name", "still-ambiguous", "neither"],
)
def test_an_answer_to_which_one_picks_among_the_options(
    answer: str, options: tuple[str, ...], expected: str | None
) -> None:
    chosen = pick(answer, [place(p) for p in options])
    assert (chosen.id if chosen else None) == expected


@pytest.mark.parametrize(
    ("text", "there_and_back"),
    [
        ("is there enough charge to drive to Hangzhou and back?", "there and back is"),
        ("去苏州来回一趟，电够不够", "来回共"),
    ],
    ids=["en", "zh"],
)
def test_a_round_trip_is_checked_both_ways(text: str, there_and_back: str) -> None:
    assistant = offline_assistant()
    result = asyncio.run(assistant.say(text))
    assert result.outcome == "answered"
    assert there_and_back in result.reply.lower()
    assert read(assistant, DESTINATION) == ""  # asked about, not started

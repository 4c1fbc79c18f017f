// The status strip and the climate, media and navigation cards, drawn from the state.

import { openWhileMoving } from "./car.js";
import { $, h } from "./dom.js";
import { lang, t } from "./i18n.js";

const ZONES = ["Row1.Driver", "Row1.Passenger", "Row2.Driver", "Row2.Passenger"];
const FLAGS = [
  ["ac", "Vehicle.Cabin.HVAC.IsAirConditioningActive"],
  ["recirculation", "Vehicle.Cabin.HVAC.IsRecirculationActive"],
  ["defrost_front", "Vehicle.Cabin.HVAC.IsFrontDefrosterActive"],
  ["defrost_rear", "Vehicle.Cabin.HVAC.IsRearDefrosterActive"],
];
const num = (value, fallback = 0) => (typeof value === "number" ? value : fallback);
const round = (value, digits = 0) => +num(value).toFixed(digits);

export function renderStatus(s) {
  $("stat-speed").textContent = round(s["Vehicle.Speed"]);
  const gear = num(s["Vehicle.Powertrain.Transmission.SelectedGear"], 126);
  $("stat-gear").textContent = gear === 126 ? "P" : gear === 127 ? "D" : gear === -1 ? "R" : gear === 0 ? "N" : "D";
  const soc = num(s["Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"]);
  $("stat-battery").textContent = `${round(soc)}%`;
  $("battery-fill").style.width = `${Math.max(0, Math.min(100, soc))}%`;
  $("battery-fill").dataset.level = soc < 15 ? "low" : soc < 30 ? "mid" : "ok";
  $("stat-range").textContent = `${round(num(s["Vehicle.Powertrain.Range"]) / 1000)} km`;
  $("stat-outside").textContent = `${round(s["Vehicle.Exterior.AirTemperature"], 1)}°`;
  $("stat-cabin").textContent = `${round(s["Vehicle.Cabin.HVAC.AmbientAirTemperature"], 1)}°`;
  const locked = ["Row1.DriverSide", "Row1.PassengerSide", "Row2.DriverSide", "Row2.PassengerSide"]
    .every((side) => s[`Vehicle.Cabin.Door.${side}.IsLocked`] === true);
  $("stat-locks").textContent = t(locked ? "locked" : "unlocked");
  $("stat-locks").dataset.locked = String(locked);
  $("stat-alert").hidden = openWhileMoving(s).length === 0;
}

function buildClimate() {
  $("zones").replaceChildren(...ZONES.map((zone) => h("div", { class: "zone", dataset: { zone } },
    h("div", { class: "zone-name", dataset: { i18n: `zone_${zone}` } }, t(`zone_${zone}`)),
    h("div", { class: "zone-temp" }),
    h("div", { class: "zone-fan" }, h("div", { class: "meter" }, h("div")), h("span")))));
  $("climate-flags").replaceChildren(...FLAGS.map(([key]) => h("span",
    { class: "chip", dataset: { flag: key, i18n: key } }, t(key))));
}

export function renderClimate(s) {
  if (!$("zones").children.length) buildClimate();
  for (const zone of ZONES) {
    const card = $("zones").querySelector(`[data-zone="${zone}"]`);
    const temp = s[`Vehicle.Cabin.HVAC.Station.${zone}.Temperature`];
    const fan = num(s[`Vehicle.Cabin.HVAC.Station.${zone}.FanSpeed`]);
    card.querySelector(".zone-temp").textContent = typeof temp === "number" ? `${+temp.toFixed(1)}°C` : "–";
    card.querySelector(".meter div").style.width = `${fan}%`;
    card.querySelector(".zone-fan span").textContent = `${t("fan")} ${round(fan)}`;
  }
  for (const [key, path] of FLAGS) {
    $("climate-flags").querySelector(`[data-flag="${key}"]`).classList.toggle("on", s[path] === true);
  }
}

export function renderMedia(s) {
  const action = s["Vehicle.Cabin.Infotainment.Media.Action"] || "STOP";
  const artist = s["Vehicle.Cabin.Infotainment.Media.Played.Artist"] || "";
  const track = s["Vehicle.Cabin.Infotainment.Media.Played.Track"] || "";
  const query = s["Cockpit.Media.Query"] || "";
  const genre = s["Vehicle.Cabin.Infotainment.Media.Played.Genre"] || "";
  const playing = action === "PLAY";
  const title = track || artist || query;
  $("media-track").textContent = title || t("nothing_playing");
  $("media-artist").textContent = [track ? artist : "", genre].filter(Boolean).join(" · ");
  $("media-state").textContent = t(playing ? "playing" : title ? "paused" : "stopped");
  $("media-state").dataset.state = playing ? "playing" : "stopped";
  const source = s["Vehicle.Cabin.Infotainment.Media.Played.Source"];
  $("media-source").textContent = source && source !== "UNKNOWN" ? source : "";
  $("media-source").hidden = !$("media-source").textContent;
  $("media-disc").classList.toggle("spinning", playing);
  $("media-card").dataset.playing = String(playing);
  const volume = num(s["Vehicle.Cabin.Infotainment.Media.Volume"]);
  $("media-volume").style.width = `${volume}%`;
  $("media-volume-text").textContent = round(volume);
}

export function renderRoute(route) {
  $("nav-empty").hidden = !!route;
  $("nav-route").hidden = !route;
  $("nav-card").dataset.active = String(!!route);
  if (!route) return;
  $("nav-dest").textContent = route.destination;
  $("nav-waypoints").replaceChildren(...route.waypoints.map((w) => h("li", {},
    h("span", { class: "via", dataset: { i18n: "via" } }, t("via")), " ", w)));
  $("nav-distance").textContent = route.distance_km ?? "—";
  $("nav-duration").textContent = route.duration_min ?? "—";
  $("nav-arrival").textContent = route.battery_on_arrival == null ? "—" : `${route.battery_on_arrival}%`;
  const check = $("nav-range");
  const verdict = route.enough == null ? "unknown" : route.charging_stop ? "charge" : route.enough ? "ok" : "short";
  check.dataset.verdict = verdict;
  const range = route.range_km == null ? "—" : Math.round(route.range_km);
  check.textContent = {
    ok: t("range_ok", { range }),
    short: t("range_short", { range }),
    charge: t("range_charge", { stop: route.charging_stop }),
    unknown: t("range_unknown"),
  }[verdict];
}

export function formatClock(now) {
  const date = new Date(now * 1000);
  const locale = lang() === "zh" ? "zh-CN" : "en-GB";
  return {
    time: date.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" }),
    date: date.toLocaleDateString(locale, { weekday: "short", month: "short", day: "numeric" }),
  };
}

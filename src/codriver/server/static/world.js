// The world panel: sliders that feed sensor readings to the simulator, and the simulated clock.

import { $, h } from "./dom.js";
import { t } from "./i18n.js";

export const SENSORS = [
  { key: "sensor_speed", path: "Vehicle.Speed", min: 0, max: 160, step: 5, unit: "km/h" },
  { key: "sensor_rain", path: "Vehicle.Body.Raindetection.Intensity", min: 0, max: 100, step: 5, unit: "%" },
  { key: "sensor_fatigue", path: "Vehicle.Driver.FatigueLevel", min: 0, max: 100, step: 5, unit: "%" },
  { key: "sensor_battery", path: "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed", min: 0, max: 100, step: 1, unit: "%" },
  { key: "sensor_outside", path: "Vehicle.Exterior.AirTemperature", min: -20, max: 45, step: 1, unit: "°C" },
];

function slider(s, onChange) {
  const input = h("input", { type: "range", min: s.min, max: s.max, step: s.step, value: s.min, "aria-label": s.path });
  const output = h("output", {}, s.min);
  const label = h("label", { class: "slider", dataset: { path: s.path } },
    h("span", { class: "slider-name", dataset: { i18n: s.key } }, t(s.key)),
    input, output, h("span", { class: "slider-unit" }, s.unit));
  input.addEventListener("input", () => { output.textContent = input.value; });
  input.addEventListener("change", () => {
    label.dataset.editing = "";
    onChange(s.path, Number(input.value));
  });
  input.addEventListener("pointerdown", () => { label.dataset.editing = "1"; });
  return label;
}

export function buildSensors(onChange) {
  $("sensors").replaceChildren(...SENSORS.map((s) => slider(s, onChange)));
}

export function renderSensors(s) {
  for (const label of $("sensors").querySelectorAll("label")) {
    if (label.dataset.editing) continue;
    const value = s[label.dataset.path];
    if (typeof value !== "number") continue;
    label.querySelector("input").value = value;
    label.querySelector("output").textContent = +value.toFixed(1);
  }
}

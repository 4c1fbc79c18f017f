// The world panel: sliders that feed sensor readings to the simulator, and the simulated clock.

import { t } from "./i18n.js";

export const SENSORS = [
  { key: "sensor_speed", path: "Vehicle.Speed", min: 0, max: 160, step: 5, unit: "km/h" },
  { key: "sensor_rain", path: "Vehicle.Body.Raindetection.Intensity", min: 0, max: 100, step: 5, unit: "%" },
  { key: "sensor_fatigue", path: "Vehicle.Driver.FatigueLevel", min: 0, max: 100, step: 5, unit: "%" },
  { key: "sensor_battery", path: "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed", min: 0, max: 100, step: 1, unit: "%" },
  { key: "sensor_outside", path: "Vehicle.Exterior.AirTemperature", min: -20, max: 45, step: 1, unit: "°C" },
];
const $ = (id) => document.getElementById(id);

export function buildSensors(onChange) {
  $("sensors").innerHTML = SENSORS.map((s) => `<label class="slider" data-path="${s.path}">
      <span class="slider-name" data-i18n="${s.key}">${t(s.key)}</span>
      <input type="range" min="${s.min}" max="${s.max}" step="${s.step}" value="${s.min}" aria-label="${s.path}">
      <output>${s.min}</output><span class="slider-unit">${s.unit}</span></label>`).join("");
  for (const label of $("sensors").querySelectorAll("label")) {
    const input = label.querySelector("input");
    input.addEventListener("input", () => { label.querySelector("output").textContent = input.value; });
    input.addEventListener("change", () => {
      label.dataset.editing = "";
      onChange(label.dataset.path, Number(input.value));
    });
    input.addEventListener("pointerdown", () => { label.dataset.editing = "1"; });
  }
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

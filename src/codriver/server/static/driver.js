// The driver card: what the cabin camera sees of the driver (eyes, head, attention) and the last
// gesture. Values come from "driver" and "gesture" events; everything is set as text.

import { t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const pct = (value) => (typeof value === "number" ? `${Math.round(value)}%` : "—");
const deg = (value) => (typeof value === "number" ? `${value > 0 ? "+" : ""}${Math.round(value)}°` : "—");

export function renderDriver(event) {
  $("driver-card").hidden = false;
  const seen = event.face === "seen";
  $("driver-face").textContent = t(seen ? "driver_seen" : event.face === "none" ? "driver_none" : "driver_several");
  $("driver-face").dataset.state = event.face;
  const eyes = event.eyes_on_road;
  $("driver-eyes").textContent = eyes === true ? t("eyes_on_road") : eyes === false ? t("eyes_off_road") : "—";
  $("driver-eyes").dataset.state = eyes === false ? "alert" : "ok";
  $("driver-closure").textContent = typeof event.eye_closure === "number" ? pct(event.eye_closure * 100) : "—";
  $("driver-head").textContent = `${deg(event.head_yaw)} / ${deg(event.head_pitch)}`;
  $("driver-fatigue").textContent = pct(event.fatigue);
  $("driver-distraction").textContent = pct(event.distraction);
  $("driver-attentive").textContent = pct(event.attentive);
  const reasons = $("driver-reasons");
  reasons.replaceChildren(...event.reasons.map((reason) => {
    const chip = document.createElement("span");
    chip.className = "chip";
    chip.textContent = t(`reason_${reason}`);
    return chip;
  }));
}

export function showGesture(event) {
  $("driver-card").hidden = false;
  const said = event.reply || event.note || "";
  $("driver-gesture").textContent = `${t(`gesture_${event.kind}`)}${said ? ` — ${said}` : ""}`;
}

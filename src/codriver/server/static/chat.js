// The conversation: occupants' words by seat, the assistant's replies with what it did, notices,
// and the open question or proactive suggestion with accept and dismiss.

import { escapeHtml } from "./cards.js";
import { t } from "./i18n.js";

export const SEATS = ["driver", "passenger", "rear_left", "rear_right"];
const STATUS_ICON = { done: "✓", answered: "i", refused: "⨯", asked: "?", failed: "!" };
const $ = (id) => document.getElementById(id);

export function clearMessages() {
  $("messages").innerHTML = "";
}

function append(html) {
  const box = $("messages");
  box.insertAdjacentHTML("beforeend", html);
  while (box.children.length > 200) box.firstElementChild.remove();
  box.scrollTop = box.scrollHeight;
}

export function addHeard(input, cause) {
  if (!input) return;
  const seat = SEATS.includes(input.seat) ? input.seat : "driver";
  append(`<div class="msg user" data-cause="${cause}" data-seat="${seat}">
    <div class="msg-meta">${t(`seat_${seat}`)}</div>
    <div class="bubble">${escapeHtml(input.text)}</div></div>`);
}

export function addReply(result, cause) {
  if (!result.reply && !result.actions.length) return;
  const actions = result.actions
    .map((a) => `<span class="action ${a.status}" title="${escapeHtml(a.message || "")}">${STATUS_ICON[a.status] || "·"} ${escapeHtml(a.tool)}</span>`)
    .join("");
  const changed = new Set(result.changes.map((c) => c.path)).size;
  append(`<div class="msg bot" data-outcome="${result.outcome}" data-cause="${cause}" lang="${result.lang === "zh" ? "zh-CN" : "en"}">
    <div class="msg-meta">${t("assistant")} · <span class="outcome">${result.outcome}</span> · ${result.latency_ms.toFixed(1)} ms</div>
    <div class="bubble">${escapeHtml(result.reply)}</div>
    ${actions || changed ? `<div class="msg-actions">${actions}${changed ? `<span class="changes">${t("changes", { n: changed })}</span>` : ""}</div>` : ""}
  </div>`);
}

export function addNotice(text, kind, langCode) {
  append(`<div class="msg notice" data-kind="${kind}" lang="${langCode === "zh" ? "zh-CN" : "en"}">
    <div class="msg-meta">${t(kind)}</div><div class="bubble">${escapeHtml(text)}</div></div>`);
}

export function addTranscript(line) {
  addHeard(line.input, line.cause);
  if (line.input) {
    addReply({ reply: line.reply, outcome: line.outcome, lang: line.lang, actions: [], changes: [], latency_ms: 0 }, line.cause);
  } else if (line.reply) {
    addNotice(line.reply, "notice", line.lang);
  }
}

export function showSuggestion(pending) {
  const box = $("suggestion");
  box.hidden = !pending;
  box.dataset.proactive = pending ? String(pending.proactive) : "";
  $("suggestion-text").textContent = pending ? pending.text : "";
}

export function buildSeatPicker(onPick) {
  const picker = $("seat-picker");
  picker.innerHTML = `<span class="seats-label" data-i18n="speaking_seat">${t("speaking_seat")}</span>` +
    SEATS.map((seat, i) => `<button type="button" role="radio" data-seat="${seat}" aria-checked="${i === 0}">
      <span data-i18n="seat_${seat}">${t(`seat_${seat}`)}</span></button>`).join("");
  picker.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-seat]");
    if (!button) return;
    picker.querySelectorAll("button").forEach((b) => b.setAttribute("aria-checked", String(b === button)));
    onPick(button.dataset.seat);
  });
}

export function renderExamples(onPick) {
  const list = t("examples");
  $("examples").innerHTML = (Array.isArray(list) ? list : [])
    .map((text) => `<button type="button" class="example">${escapeHtml(text)}</button>`).join("");
  $("examples").onclick = (event) => {
    const button = event.target.closest("button.example");
    if (button) onPick(button.textContent);
  };
}

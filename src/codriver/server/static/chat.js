// The conversation: occupants' words by seat, the assistant's replies with what it did, notices,
// and the open question or proactive suggestion with accept and dismiss. Everything is built as
// elements and text; labels carry data-i18n so a change of language relabels them in place.

import { $, h } from "./dom.js";
import { bilingual, htmlLang, t } from "./i18n.js";

export const SEATS = ["driver", "passenger", "rear_left", "rear_right"];
const STATUS_ICON = { done: "✓", answered: "i", refused: "⨯", asked: "?", failed: "!" };
const KEPT = 200;

const label = (key, params = {}) => h("span", { dataset: { i18n: key, ...params } }, t(key, params));

// What the assistant said; when it sent both languages the text follows the UI's language.
function setSpoken(el, text, langCode, texts) {
  const shown = bilingual(texts, text, langCode);
  el.textContent = shown.text;
  el.lang = htmlLang(shown.lang);
  if (texts && texts.en && texts.zh) Object.assign(el.dataset, { textEn: texts.en, textZh: texts.zh });
  else { delete el.dataset.textEn; delete el.dataset.textZh; }
  return el;
}

const spoken = (text, langCode, texts) => setSpoken(h("div", { class: "bubble" }), text, langCode, texts);

export function clearMessages() {
  $("messages").replaceChildren();
}

function append(node) {
  const box = $("messages");
  box.append(node);
  while (box.children.length > KEPT) box.firstElementChild.remove();
  box.scrollTop = box.scrollHeight;
}

export function addHeard(input, cause) {
  if (!input) return;
  const seat = SEATS.includes(input.seat) ? input.seat : "driver";
  append(h("div", { class: "msg user", dataset: { cause, seat } },
    h("div", { class: "msg-meta" }, label(`seat_${seat}`)),
    h("div", { class: "bubble" }, input.text)));
}

const actionChip = (a) => h("span",
  { class: `action ${a.status}`, title: a.message || null, dataset: { tool: a.tool } },
  `${STATUS_ICON[a.status] || "·"} ${a.tool}`);

export function addReply(result, cause) {
  if (!result.reply && !result.actions.length) return;
  const chips = result.actions.map(actionChip);
  const changed = new Set(result.changes.map((c) => c.path)).size;
  if (changed) chips.push(h("span", { class: "changes" }, label("changes", { n: changed })));
  const ms = result.latency_ms ? ` · ${result.latency_ms.toFixed(1)} ms` : "";
  const meta = h("div", { class: "msg-meta" }, label("assistant"), " · ",
    h("span", { class: "outcome" }, result.outcome), ms && h("span", { class: "latency" }, ms));
  append(h("div", { class: "msg bot", dataset: { outcome: result.outcome, cause } },
    meta, spoken(result.reply, result.lang),
    chips.length ? h("div", { class: "msg-actions" }, chips) : null));
}

export function addNotice(text, kind, langCode, texts) {
  append(h("div", { class: "msg notice", dataset: { kind } },
    h("div", { class: "msg-meta" }, label(kind)),
    spoken(text, langCode, texts)));
}

export function addTranscript(line) {
  addHeard(line.input, line.cause);
  if (line.input) {
    const said = { reply: line.reply, outcome: line.outcome, lang: line.lang };
    addReply({ ...said, actions: [], changes: [], latency_ms: 0 }, line.cause);  // kept: the words
  } else if (line.reply) {
    addNotice(line.reply, "notice", line.lang);
  }
}

export function showSuggestion(pending) {
  const box = $("suggestion");
  box.hidden = !pending;
  box.dataset.proactive = pending ? String(pending.proactive) : "";
  const { text = "", lang = null, texts = null } = pending || {};
  setSpoken($("suggestion-text"), text, lang, texts);
}

export function buildSeatPicker(onPick) {
  const picker = $("seat-picker");
  picker.replaceChildren(
    h("span", { class: "seats-label", dataset: { i18n: "speaking_seat" } }, t("speaking_seat")),
    ...SEATS.map((seat, i) => h("button",
      { type: "button", role: "radio", "aria-checked": String(i === 0), dataset: { seat } },
      label(`seat_${seat}`))));
  picker.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-seat]");
    if (!button) return;
    picker.querySelectorAll("button").forEach((b) => b.setAttribute("aria-checked", String(b === button)));
    onPick(button.dataset.seat);
  });
}

export function renderExamples() {
  const list = t("examples");
  $("examples").replaceChildren(...(Array.isArray(list) ? list : [])
    .map((text) => h("button", { type: "button", class: "example" }, text)));
}

export function wireExamples(onPick) {
  $("examples").addEventListener("click", (event) => {
    const button = event.target.closest("button.example");
    if (button) onPick(button.textContent);
  });
}

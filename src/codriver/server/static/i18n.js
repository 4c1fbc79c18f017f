// The cockpit's own words, in both languages, from strings.json. Elements say what they show in
// data attributes, so a change of language relabels the page in place (nothing is redrawn or
// refetched): data-i18n="key" (parameters from the other data-* of the element), the
// placeholder and title variants, and data-text-en / data-text-zh for what the assistant said in
// both languages.

let strings = { en: {}, zh: {} };
let current = "en";

export async function loadStrings() {
  strings = await (await fetch("strings.json")).json();
}

export function setLang(lang) {
  current = lang === "zh" ? "zh" : "en";
  document.documentElement.lang = htmlLang(current);
  relabel(document);
}

export function lang() { return current; }

export function htmlLang(code) { return code === "zh" ? "zh-CN" : "en"; }

export function t(key, params = {}) {
  const text = strings[current][key] ?? strings.en[key] ?? key;
  if (typeof text !== "string") return text;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

// What the assistant said, in the UI's language when it sent both; else as it was said.
export function bilingual(texts, said, saidLang) {
  const text = texts && texts[current];
  return text ? { text, lang: current } : { text: said || "", lang: saidLang || current };
}

export function relabel(root) {
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n, el.dataset); });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  });
  root.querySelectorAll("[data-i18n-title]").forEach((el) => { el.title = t(el.dataset.i18nTitle); });
  root.querySelectorAll("[data-text-en]").forEach((el) => {
    const shown = bilingual({ en: el.dataset.textEn, zh: el.dataset.textZh });
    el.textContent = shown.text;
    el.lang = htmlLang(shown.lang);
  });
}

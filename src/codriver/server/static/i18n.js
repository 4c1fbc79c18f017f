// The cockpit's own words, in both languages, from strings.json.

let strings = { en: {}, zh: {} };
let current = "en";

export async function loadStrings() {
  strings = await (await fetch("strings.json")).json();
}

export function setLang(lang) {
  current = lang === "zh" ? "zh" : "en";
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  });
  document.querySelectorAll("[data-i18n-title]").forEach((el) => { el.title = t(el.dataset.i18nTitle); });
}

export function lang() { return current; }

export function t(key, params = {}) {
  const text = strings[current][key] ?? strings.en[key] ?? key;
  if (typeof text !== "string") return text;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

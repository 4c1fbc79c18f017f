// The cockpit: connects to one cabin's event stream and draws it; commands go over REST, and
// what they cause comes back as events, so every open cockpit on a cabin shows the same thing.

import { Api, EventStream, Unauthorized } from "./api.js";
import { formatClock, renderClimate, renderMedia, renderRoute, renderStatus } from "./cards.js";
import { markChanged, mountCar, renderCar } from "./car.js";
import {
  addHeard, addNotice, addReply, addTranscript, buildSeatPicker, clearMessages, renderExamples,
  showSuggestion, wireExamples,
} from "./chat.js";
import { $, h } from "./dom.js";
import { renderDriver, showGesture } from "./driver.js";
import { lang, loadStrings, setLang, t } from "./i18n.js";
import { buildSensors, renderSensors } from "./world.js";

const app = {
  api: null, stream: null, session: null, seq: null, lastLine: null,
  state: {}, route: null, seat: "driver", clock: { now: 0, scale: 0 }, clockAt: 0, queued: false,
};
const KNOWN = "codriver.known";  // the cabins this browser has shown: one missing is gone, not new

function hashParams() {
  return new URLSearchParams(location.hash.replace(/^#/, ""));
}

async function boot() {
  await loadStrings();
  const params = hashParams();
  const stored = localStorage.getItem("codriver.lang");
  setLang(params.get("lang") || stored || (navigator.language.startsWith("zh") ? "zh" : "en"));
  markLang();
  await mountCar($("car-holder"));
  buildSeatPicker((seat) => { app.seat = seat; });
  buildSensors((path, value) => act(() => app.api.sensors(app.session, { [path]: value })));
  renderExamples();
  wireExamples(say);
  wireControls();
  watchDock();
  renderAll();
  setInterval(tickClock, 250);
  const token = params.get("token") || localStorage.getItem("codriver.token");
  if (params.get("token")) localStorage.setItem("codriver.token", params.get("token"));
  if (!token) return showLogin();
  await start(token, params.get("session"));
}

async function start(token, wanted) {
  app.api = new Api(token);
  let sessions;
  try {
    sessions = await app.api.sessions();
  } catch (error) {
    return showLogin(error instanceof Unauthorized ? t("wrong_token") : error.message);
  }
  $("login").hidden = true;
  localStorage.setItem("codriver.token", token);
  const first = sessions[0] && sessions[0].id;
  const id = wanted || localStorage.getItem("codriver.session") || first || "cabin-1";
  if (!sessions.some((s) => s.id === id)) {
    if (known().includes(id)) {  // this page showed it before: it is gone, not to be made anew
      app.session = id;
      fillSessions(sessions, id);
      return showGone(id);
    }
    sessions.push(await app.api.createSession({ id, lang: lang() }));
  }
  fillSessions(sessions, id);
  connect(id);
}

function known() {
  try { return JSON.parse(localStorage.getItem(KNOWN) || "[]"); } catch { return []; }
}

function remember(id) {
  localStorage.setItem(KNOWN, JSON.stringify([id, ...known().filter((k) => k !== id)].slice(0, 50)));
}

function fillSessions(sessions, selected) {
  const options = sessions.map((s) => h("option", { value: s.id, selected: s.id === selected }, s.name));
  if (!sessions.some((s) => s.id === selected)) {  // a cabin that is gone, still picked
    options.push(h("option", { value: selected, selected: true }, selected));
  }
  $("cabin-select").replaceChildren(...options);
}

function connect(id) {
  if (app.stream) app.stream.stop();
  if (id !== app.session) app.seq = app.lastLine = null;
  app.session = id;
  showGone(null);
  localStorage.setItem("codriver.session", id);
  history.replaceState(null, "", `#session=${encodeURIComponent(id)}`);
  document.body.dataset.ready = "";
  app.stream = new EventStream(app.api, id, onEvent, onStatus);
}

function onStatus(status) {
  $("conn").dataset.state = status;
  $("conn").title = status;
  $("reconnecting").hidden = status !== "connecting" || app.seq === null;
  if (status === "refused") showLogin(t("wrong_token"));
  if (status === "gone") showGone(app.session);
}

function showGone(id) {
  document.body.dataset.gone = id ? "1" : "";
  $("gone").hidden = !id;
  if (!id) return;
  $("gone-cabin").textContent = id;
  $("reconnecting").hidden = true;
  document.body.dataset.ready = "1";
}

// The last line of the conversation, as the cabin's transcript keeps it: every turn event with
// words in or out is one line, so a reconnecting page can tell whether it missed any.
const lineOf = (at, reply) => `${at}|${reply}`;

function onHello(event) {
  const last = event.transcript[event.transcript.length - 1];
  const lastLine = last ? lineOf(last.at, last.reply) : "";
  if (app.seq === null || lastLine !== app.lastLine) {  // new here, or it said things meanwhile
    clearMessages();
    event.transcript.forEach(addTranscript);
  }
  app.lastLine = lastLine;
  app.state = event.state;
  const option = [...$("cabin-select").options].find((o) => o.value === event.cabin.id);
  if (option) option.textContent = event.cabin.name;
  showSuggestion(event.pending);
  setRoute(event.route);
  setClock(event.clock);
  remember(event.cabin.id);
  document.body.dataset.ready = "1";
}

function onEvent(event) {
  app.seq = event.seq;
  document.body.dataset.seq = event.seq;
  switch (event.type) {
    case "hello": onHello(event); break;
    case "turn":
      if (event.input || event.result.reply) app.lastLine = lineOf(event.at, event.result.reply);
      if (event.input) {
        addHeard(event.input, event.cause);
        addReply(event.result, event.cause);
      }
      break;
    case "changes":
      for (const change of event.changes) app.state[change.path] = change.new;
      markChanged($("car-holder"), event.changes);
      break;
    case "route": setRoute(event.route); break;
    case "suggestion":
      showSuggestion(event);
      if (event.proactive) addNotice(event.text, "suggestion", event.lang, event.texts);
      break;
    case "suggestion_closed": showSuggestion(null); break;
    case "notice": addNotice(event.text, "notice", event.lang); break;
    case "clock": setClock(event); break;
    case "closed": if (event.reason !== "shutdown") toast(t("session_closed")); break;
    case "driver": renderDriver(event); break;
    case "gesture": showGesture(event); break;
  }
  scheduleRender();
}

function scheduleRender() {
  if (app.queued) return;
  app.queued = true;
  requestAnimationFrame(() => { app.queued = false; renderAll(); });
}

function renderAll() {
  const s = app.state;
  renderCar($("car-holder"), s);
  renderStatus(s);
  renderClimate(s);
  renderMedia(s);
  renderSensors(s);
  renderClock();
}

function setClock(clock) {
  app.clock = { now: clock.now, scale: clock.scale };
  app.clockAt = performance.now();
  renderClock();
}

function tickClock() {
  if (app.clock.scale > 0) renderClock();
}

function renderClock() {
  if (!app.clock.now) return;
  const elapsed = ((performance.now() - app.clockAt) / 1000) * app.clock.scale;
  const shown = formatClock(app.clock.now + elapsed);
  $("clock-time").textContent = shown.time;
  $("clock-date").textContent = shown.date;
  const running = app.clock.scale > 0;
  $("clock-run").textContent = running ? `● ${t("clock_running")}` : `❚❚ ${t("clock_paused")}`;
  $("clock-run").dataset.running = String(running);
}

async function say(text) {
  const input = $("say-input");
  if (!text.trim() || !app.session) return;
  input.value = "";
  await act(() => app.api.say(app.session, text, app.seat));
  input.focus();
}

async function act(call) {
  document.body.dataset.busy = "1";
  try {
    await call();
  } catch (error) {
    if (error instanceof Unauthorized) showLogin(t("wrong_token"));
    else toast(error.message);
  } finally {
    document.body.dataset.busy = "";
  }
}

function switchLang(code) {
  setLang(code);  // relabels the page in place: the conversation, its chips and timings stay
  localStorage.setItem("codriver.lang", code);
  markLang();
  renderExamples();
  renderAll();
  renderRoute(app.route);
}

function setRoute(route) {
  app.route = route;
  renderRoute(route);
}

function wireControls() {
  $("say-form").addEventListener("submit", (event) => { event.preventDefault(); say($("say-input").value); });
  $("suggestion-accept").addEventListener("click", () => act(() => app.api.answer(app.session, true)));
  $("suggestion-dismiss").addEventListener("click", () => act(() => app.api.answer(app.session, false)));
  document.querySelectorAll("[data-advance]").forEach((button) => {
    button.addEventListener("click", () => act(() => app.api.advance(app.session, Number(button.dataset.advance))));
  });
  $("clock-run").addEventListener("click", () => act(() => app.api.setClock(app.session, app.clock.scale > 0 ? 0 : 1)));
  document.querySelectorAll("[data-lang]").forEach((button) => {
    button.addEventListener("click", () => switchLang(button.dataset.lang));
  });
  $("cabin-select").addEventListener("change", (event) => connect(event.target.value));
  $("cabin-new").addEventListener("click", () => {
    newCabin({ name: `${t("cabin")} ${$("cabin-select").options.length + 1}` });
  });
  $("gone-restart").addEventListener("click", () => newCabin({ id: app.session }));
  $("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    start($("login-token").value.trim(), null);
  });
}

function newCabin(body) {
  return act(async () => {
    const created = await app.api.createSession({ ...body, lang: lang() });
    fillSessions(await app.api.sessions(), created.id);
    connect(created.id);
  });
}

// On a phone the input is docked at the bottom of the screen: the page keeps that much room free.
function watchDock() {
  const dock = $("dock");
  const fit = () => {
    const docked = getComputedStyle(dock).position === "fixed";
    document.documentElement.style.setProperty("--dock-h", `${docked ? dock.offsetHeight : 0}px`);
  };
  new ResizeObserver(fit).observe(dock);
  addEventListener("resize", fit);
}

function markLang() {
  document.querySelectorAll("[data-lang]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang())));
}

function showLogin(message = "") {
  $("login").hidden = false;
  $("login-error").textContent = message;
  $("login-token").focus();
}

let toastTimer;
function toast(text) {
  const box = $("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 4000);
}

boot();

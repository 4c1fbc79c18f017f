// The cockpit: connects to one cabin's event stream and draws it; commands go over REST, and
// what they cause comes back as events, so every open cockpit on a cabin shows the same thing.

import { Api, EventStream, Unauthorized } from "./api.js";
import { formatClock, renderClimate, renderMedia, renderRoute, renderStatus } from "./cards.js";
import { mountCar, renderCar } from "./car.js";
import { renderDriver, showGesture } from "./driver.js";
import {
  addHeard, addNotice, addReply, addTranscript, buildSeatPicker, clearMessages, renderExamples,
  showSuggestion,
} from "./chat.js";
import { lang, loadStrings, setLang, t } from "./i18n.js";
import { buildSensors, renderSensors } from "./world.js";

const $ = (id) => document.getElementById(id);
const app = { api: null, stream: null, session: null, state: {}, seat: "driver", clock: { now: 0, scale: 0 }, clockAt: 0, queued: false };

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
  renderExamples(say);
  wireControls();
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
  let id = wanted || localStorage.getItem("codriver.session");
  if (!id || !sessions.some((s) => s.id === id)) {
    id = id || (sessions[0] && sessions[0].id) || "cabin-1";
    if (!sessions.some((s) => s.id === id)) {
      sessions.push(await app.api.createSession({ id, lang: lang() }));
    }
  }
  fillSessions(sessions, id);
  connect(id);
}

function fillSessions(sessions, selected) {
  $("cabin-select").innerHTML = sessions
    .map((s) => `<option value="${s.id}" ${s.id === selected ? "selected" : ""}>${s.name}</option>`)
    .join("");
}

function connect(id) {
  if (app.stream) app.stream.stop();
  app.session = id;
  localStorage.setItem("codriver.session", id);
  history.replaceState(null, "", `#session=${encodeURIComponent(id)}`);
  document.body.dataset.ready = "";
  app.stream = new EventStream(app.api.token, id, onEvent, onStatus);
}

function onStatus(status) {
  $("conn").dataset.state = status;
  $("conn").title = status;
  if (status === "refused") showLogin(t("wrong_token"));
  if (status === "closed") toast(t("session_closed"));
}

function onEvent(event) {
  document.body.dataset.seq = event.seq;
  switch (event.type) {
    case "hello":
      app.state = event.state;
      clearMessages();
      event.transcript.forEach(addTranscript);
      showSuggestion(event.pending);
      renderRoute(event.route);
      setClock(event.clock);
      document.body.dataset.ready = "1";
      break;
    case "turn":
      if (event.input) {
        addHeard(event.input, event.cause);
        addReply(event.result, event.cause);
      }
      break;
    case "changes":
      for (const change of event.changes) app.state[change.path] = change.new;
      break;
    case "route":
      renderRoute(event.route);
      break;
    case "suggestion":
      showSuggestion(event);
      if (event.proactive) addNotice(event.text, "suggestion", event.lang);
      break;
    case "suggestion_closed":
      showSuggestion(null);
      break;
    case "notice":
      addNotice(event.text, "notice", event.lang);
      break;
    case "clock":
      setClock(event);
      break;
    case "closed":
      toast(t("session_closed"));
      break;
    case "driver":
      renderDriver(event);
      break;
    case "gesture":
      showGesture(event);
      break;
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

function wireControls() {
  $("say-form").addEventListener("submit", (event) => { event.preventDefault(); say($("say-input").value); });
  $("suggestion-accept").addEventListener("click", () => act(() => app.api.answer(app.session, true)));
  $("suggestion-dismiss").addEventListener("click", () => act(() => app.api.answer(app.session, false)));
  document.querySelectorAll("[data-advance]").forEach((button) => {
    button.addEventListener("click", () => act(() => app.api.advance(app.session, Number(button.dataset.advance))));
  });
  $("clock-run").addEventListener("click", () => act(() => app.api.setClock(app.session, app.clock.scale > 0 ? 0 : 1)));
  document.querySelectorAll("[data-lang]").forEach((button) => {
    button.addEventListener("click", () => {
      setLang(button.dataset.lang);
      localStorage.setItem("codriver.lang", button.dataset.lang);
      markLang();
      renderExamples(say);
      renderAll();
      if (app.stream) connect(app.session);  // redraw the transcript's labels in the new language
    });
  });
  $("cabin-select").addEventListener("change", (event) => connect(event.target.value));
  $("cabin-new").addEventListener("click", () => act(async () => {
    const count = $("cabin-select").options.length + 1;
    const created = await app.api.createSession({ name: `${t("cabin")} ${count}`, lang: lang() });
    fillSessions(await app.api.sessions(), created.id);
    connect(created.id);
  }));
  $("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    start($("login-token").value.trim(), null);
  });
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

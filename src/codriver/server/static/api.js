// The service seen from the browser: REST calls with the bearer token, and a session's event
// stream that reconnects by itself (the token travels as a WebSocket subprotocol).

export class Unauthorized extends Error {}
export class NotFound extends Error {}

export class Api {
  constructor(token) {
    this.token = token;
  }

  async call(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) throw new Unauthorized("wrong token");
    const data = response.status === 204 ? null : await response.json();
    if (response.status === 404) throw new NotFound(data && data.detail ? data.detail : "not found");
    if (!response.ok) throw new Error(data && data.detail ? data.detail : `HTTP ${response.status}`);
    return data;
  }

  sessions() { return this.call("GET", "/api/sessions"); }
  session(id) { return this.call("GET", `/api/sessions/${encodeURIComponent(id)}`); }
  createSession(body) { return this.call("POST", "/api/sessions", body); }
  say(id, text, seat) { return this.call("POST", `/api/sessions/${id}/turns`, { text, seat }); }
  answer(id, accept) {
    return this.call("POST", `/api/sessions/${id}/suggestion/${accept ? "accept" : "dismiss"}`);
  }
  sensors(id, values) { return this.call("POST", `/api/sessions/${id}/sensors`, { values }); }
  advance(id, seconds) { return this.call("POST", `/api/sessions/${id}/clock/advance`, { seconds }); }
  setClock(id, scale) { return this.call("PATCH", `/api/sessions/${id}/clock`, { scale }); }

  // Why the service turned a stream away: "refused" (the token), "gone" (no such cabin any
  // more) or "retry" (it answered otherwise, or not at all: try the stream again later).
  async whyRefused(id) {
    try {
      await this.session(id);
      return "retry";
    } catch (error) {
      if (error instanceof Unauthorized) return "refused";
      if (error instanceof NotFound) return "gone";
      return "retry";
    }
  }
}

const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 8000;

export class EventStream {
  // onEvent(event) for every event; onStatus("connecting" | "open" | "gone" | "refused"). After
  // a drop or a restart of the service it reconnects with a growing delay, for as long as the
  // service may come back; it stops only when the cabin is gone or the token refused.
  constructor(api, sessionId, onEvent, onStatus) {
    Object.assign(this, { api, sessionId, onEvent, onStatus });
    this.retry = FIRST_RETRY_MS;
    this.stopped = false;
    this.connect();
  }

  connect() {
    if (this.stopped) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const url = `${scheme}://${location.host}/api/sessions/${encodeURIComponent(this.sessionId)}/events`;
    this.onStatus("connecting");
    const socket = new WebSocket(url, ["codriver", `bearer.${this.api.token}`]);
    this.socket = socket;
    socket.addEventListener("open", () => { this.retry = FIRST_RETRY_MS; this.onStatus("open"); });
    socket.addEventListener("message", (message) => this.onEvent(JSON.parse(message.data)));
    socket.addEventListener("close", (event) => this.closed(event.code));
  }

  async closed(code) {
    if (this.stopped) return;
    // 1000: the cabin was closed. Otherwise ask the REST side why: a service that turns the
    // handshake away (the token, or no such cabin) shows only as 1006 to a page, as do a broken
    // connection and a service that is down; 1001/1012 say it stops, 1013 that we fell behind.
    const verdict = code === 1000 ? "gone" : await this.api.whyRefused(this.sessionId);
    if (this.stopped) return;
    if (verdict !== "retry") {
      this.stopped = true;
      this.onStatus(verdict);
      return;
    }
    this.onStatus("connecting");
    const delay = this.retry * (0.75 + Math.random() * 0.5);
    this.retry = Math.min(this.retry * 2, LAST_RETRY_MS);
    setTimeout(() => this.connect(), delay);
  }

  stop() {
    this.stopped = true;
    if (this.socket) this.socket.close();
  }
}

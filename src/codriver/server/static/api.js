// The service seen from the browser: REST calls with the bearer token, and a session's event
// stream that reconnects by itself (the token travels as a WebSocket subprotocol).

export class Unauthorized extends Error {}

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
    if (!response.ok) throw new Error(data && data.detail ? data.detail : `HTTP ${response.status}`);
    return data;
  }

  sessions() { return this.call("GET", "/api/sessions"); }
  createSession(body) { return this.call("POST", "/api/sessions", body); }
  say(id, text, seat) { return this.call("POST", `/api/sessions/${id}/turns`, { text, seat }); }
  answer(id, accept) {
    return this.call("POST", `/api/sessions/${id}/suggestion/${accept ? "accept" : "dismiss"}`);
  }
  sensors(id, values) { return this.call("POST", `/api/sessions/${id}/sensors`, { values }); }
  advance(id, seconds) { return this.call("POST", `/api/sessions/${id}/clock/advance`, { seconds }); }
  setClock(id, scale) { return this.call("PATCH", `/api/sessions/${id}/clock`, { scale }); }
}

export class EventStream {
  // onEvent(event) for every event; onStatus("open" | "connecting" | "closed" | "refused")
  constructor(token, sessionId, onEvent, onStatus) {
    Object.assign(this, { token, sessionId, onEvent, onStatus });
    this.retry = 500;
    this.stopped = false;
    this.connect();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const url = `${scheme}://${location.host}/api/sessions/${encodeURIComponent(this.sessionId)}/events`;
    this.onStatus("connecting");
    const socket = new WebSocket(url, ["codriver", `bearer.${this.token}`]);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => { opened = true; this.retry = 500; this.onStatus("open"); };
    socket.onmessage = (message) => this.onEvent(JSON.parse(message.data));
    socket.onclose = (event) => {
      if (this.stopped) return;
      if (event.code === 1000 || event.code === 1008) {
        this.onStatus(opened || event.code === 1000 ? "closed" : "refused");
        return;
      }
      this.onStatus("connecting");
      setTimeout(() => this.stopped || this.connect(), this.retry);
      this.retry = Math.min(this.retry * 2, 8000);
    };
  }

  stop() {
    this.stopped = true;
    if (this.socket) this.socket.close();
  }
}

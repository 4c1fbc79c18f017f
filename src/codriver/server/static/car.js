// The top view of the car: loads car.svg once, then reflects the state on it. Every part also
// carries data-* attributes with what it shows, so a test (or a person in devtools) can read it.

const SEATS = ["Row1.DriverSide", "Row1.PassengerSide", "Row2.DriverSide", "Row2.PassengerSide"];
const NS = "http://www.w3.org/2000/svg";
const MOVING_KMH = 1;
// Which part of the drawing shows a signal: [pattern, the part's id from the match].
const PARTS = [
  [/^Vehicle\.Cabin\.Seat\.(Row\d\.\w+Side)\./, (m) => `seat-${m[1]}`],
  [/^Vehicle\.Cabin\.HVAC\.Station\.(Row\d\.\w+?)\./, (m) => `seat-${m[1]}Side`],
  [/^Vehicle\.Cabin\.Door\.(Row\d\.\w+Side)\.Window\./, (m) => `window-${m[1]}`],
  [/^Vehicle\.Cabin\.Door\.(Row\d\.\w+Side)\.(Is\w+|Position)$/, (m) => `door-${m[1]}`],
  [/^Vehicle\.Cabin\.Light\.AmbientLight\.(Row\d\.\w+Side)\./, (m) => `ambient-${m[1]}`],
  [/^Vehicle\.Cabin\.Sunroof\./, () => "sunroof"],
  [/^Vehicle\.Body\.Trunk\.Rear\./, () => "trunk"],
  [/^Vehicle\.Body\.(Hood|Trunk\.Front)\./, () => "hood"],
  [/^Vehicle\.Body\.Windshield\.Front\.Wiping\./, () => "wipers"],
  [/^Vehicle\.Body\.Lights\./, () => "lights"],
  [/^Vehicle\.Cabin\.Light\.IsDomeOn$/, () => "dome"],
];

export async function mountCar(holder) {
  const text = await (await fetch("car.svg")).text();
  const drawing = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
  holder.replaceChildren(document.importNode(drawing, true));
  for (const id of SEATS) buildSeat(holder.querySelector(`[id="seat-${id}"]`));
}

function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  parent.appendChild(node);
  return node;
}

function buildSeat(group) {
  el("rect", { class: "seat-base", x: 0, y: 0, width: 72, height: 104, rx: 16 }, group);
  el("rect", { class: "seat-glow", x: 4, y: 4, width: 64, height: 72, rx: 12 }, group);
  el("rect", { class: "seat-back", x: 6, y: 78, width: 60, height: 22, rx: 9 }, group);
  const waves = el("g", { class: "massage" }, group);
  for (const y of [85, 91, 97]) el("path", { d: `M12,${y} q6,-4 12,0 t12,0 t12,0 t12,0`, class: "wave" }, waves);
  el("text", { class: "seat-temp", x: 36, y: 44, "text-anchor": "middle" }, group);
  const fan = el("g", { class: "seat-fan" }, group);
  for (let i = 0; i < 5; i++) el("rect", { x: 17 + i * 8, y: 60 - i * 2, width: 5, height: 6 + i * 2, rx: 1.5 }, fan);
}

const num = (value, fallback = 0) => (typeof value === "number" ? value : fallback);

// The parts a change touched glow for a moment and keep class "changed" (and data-changed) until
// the next change of the drawing; changes nothing draws (the battery, say) leave them as they are.
export function markChanged(root, changes) {
  const ids = new Set();
  for (const { path } of changes) {
    for (const [pattern, id] of PARTS) {
      const match = path.match(pattern);
      if (match) ids.add(id(match));
    }
  }
  const parts = [...ids].map((id) => root.querySelector(`[id="${id}"]`)).filter(Boolean);
  if (!parts.length) return;
  root.querySelectorAll(".changed").forEach((el) => { el.classList.remove("changed"); delete el.dataset.changed; });
  void root.getBoundingClientRect();  // restart the glow on a part that changes again
  for (const el of parts) { el.classList.add("changed"); el.dataset.changed = "true"; }
}

// What is open while the car moves (a door, the trunk, the hood), by the drawing's part ids.
export function openWhileMoving(s) {
  if (num(s["Vehicle.Speed"]) < MOVING_KMH) return [];
  const open = SEATS.filter((side) => s[`Vehicle.Cabin.Door.${side}.IsOpen`] === true).map((side) => `door-${side}`);
  if (s["Vehicle.Body.Trunk.Rear.IsOpen"] === true) open.push("trunk");
  if (s["Vehicle.Body.Hood.IsOpen"] === true || s["Vehicle.Body.Trunk.Front.IsOpen"] === true) open.push("hood");
  return open;
}

export function renderCar(root, s) {
  const part = (id) => root.querySelector(`[id="${id}"]`);
  const alarms = openWhileMoving(s);
  for (const id of ["trunk", "hood", ...SEATS.map((side) => `door-${side}`)]) {
    part(id).classList.toggle("unsafe", alarms.includes(id));
    part(id).dataset.unsafe = String(alarms.includes(id));
  }
  root.firstElementChild.dataset.unsafe = String(alarms.length > 0);
  for (const side of SEATS) {
    const door = part(`door-${side}`);
    const open = s[`Vehicle.Cabin.Door.${side}.IsOpen`] === true;
    door.classList.toggle("open", open);
    door.dataset.open = String(open);
    door.dataset.locked = String(s[`Vehicle.Cabin.Door.${side}.IsLocked`] === true);

    const win = part(`window-${side}`);
    const position = num(s[`Vehicle.Cabin.Door.${side}.Window.Position`]);
    const glass = win.querySelector(".win-glass");
    win.querySelector(".win-open").setAttribute("height", (num(+glass.getAttribute("height")) * position) / 100);
    win.dataset.position = String(position);
    win.classList.toggle("open", position > 0);

    const zone = part(`seat-${side}`);
    renderSeat(zone, s, side);

    const ambient = part(`ambient-${side}`);
    const on = s[`Vehicle.Cabin.Light.AmbientLight.${side}.IsLightOn`] === true;
    const color = s[`Vehicle.Cabin.Light.AmbientLight.${side}.Color`] || "#FFFFFF";
    ambient.style.stroke = on ? color : "transparent";
    ambient.style.opacity = on ? 0.35 + num(s[`Vehicle.Cabin.Light.AmbientLight.${side}.Intensity`], 50) / 150 : 0;
    ambient.dataset.on = String(on);
    ambient.dataset.color = on ? color : "";
  }
  renderBody(part, s);
  renderLights(part, s);
}

function renderSeat(group, s, side) {
  const zone = group.dataset.zone;
  const heat = num(s[`Vehicle.Cabin.Seat.${side}.HeatingCooling`]);
  const massage = num(s[`Vehicle.Cabin.Seat.${side}.Massage.Level`]);
  const glow = group.querySelector(".seat-glow");
  glow.setAttribute("fill", heat < 0 ? "url(#cool)" : "url(#heat)");
  glow.style.opacity = Math.min(1, Math.abs(heat) / 100 + (heat ? 0.25 : 0));
  group.dataset.heat = String(heat);
  group.dataset.massage = String(massage);
  group.classList.toggle("massaging", massage > 0);
  group.classList.toggle("occupied", s[`Vehicle.Cabin.Seat.${side}.OccupancyStatus`] === "OCCUPIED");
  const temp = s[`Vehicle.Cabin.HVAC.Station.${zone}.Temperature`];
  group.querySelector(".seat-temp").textContent = typeof temp === "number" ? `${+temp.toFixed(1)}°` : "–";
  group.dataset.temperature = String(temp);
  const feel = typeof temp !== "number" ? "" : temp >= 24 ? "warm" : temp <= 20 ? "cool" : "";
  group.querySelector(".seat-temp").dataset.feel = feel;
  const fan = num(s[`Vehicle.Cabin.HVAC.Station.${zone}.FanSpeed`]);
  group.querySelectorAll(".seat-fan rect").forEach((bar, i) => bar.classList.toggle("on", fan > i * 20));
  group.dataset.fan = String(fan);
}

function renderBody(part, s) {
  const sunroof = part("sunroof");
  const position = num(s["Vehicle.Cabin.Sunroof.Position"]);
  const state = position > 0 ? "open" : position < 0 ? "tilted" : "closed";
  sunroof.dataset.state = state;
  sunroof.dataset.position = String(position);
  sunroof.querySelector(".sunroof-glass").style.transform = position > 0 ? `translateY(${(position / 100) * 70}px)` : "";

  const trunkOpen = s["Vehicle.Body.Trunk.Rear.IsOpen"] === true;
  part("trunk").classList.toggle("open", trunkOpen);
  part("trunk").dataset.open = String(trunkOpen);
  const hoodOpen = s["Vehicle.Body.Hood.IsOpen"] === true || s["Vehicle.Body.Trunk.Front.IsOpen"] === true;
  part("hood").classList.toggle("open", hoodOpen);
  part("hood").dataset.open = String(hoodOpen);

  const wipers = part("wipers");
  wipers.dataset.mode = s["Vehicle.Body.Windshield.Front.Wiping.Mode"] || "OFF";
  part("rain").setAttribute("opacity", Math.min(1, num(s["Vehicle.Body.Raindetection.Intensity"]) / 40));
}

function renderLights(part, s) {
  const low = s["Vehicle.Body.Lights.Beam.Low.IsOn"] === true;
  const high = s["Vehicle.Body.Lights.Beam.High.IsOn"] === true;
  part("beam-low").classList.toggle("on", low && !high);
  part("beam-high").classList.toggle("on", high);
  for (const id of ["head-left", "head-right"]) part(id).classList.toggle("on", low || high);
  for (const id of ["tail-left", "tail-right"]) part(id).classList.toggle("on", low || high);
  const fog = s["Vehicle.Body.Lights.Fog.Front.IsOn"] === true;
  for (const id of ["fog-front-left", "fog-front-right"]) part(id).classList.toggle("on", fog);
  part("lights").classList.toggle("hazard-on", s["Vehicle.Body.Lights.Hazard.IsSignaling"] === true);
  part("lights").dataset.beam = high ? "high" : low ? "low" : "off";
  part("dome").classList.toggle("on", s["Vehicle.Cabin.Light.IsDomeOn"] === true);
}

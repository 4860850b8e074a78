// The playground's page: plain JavaScript, no build step, nothing fetched from elsewhere.
// Text from the server is set with textContent; only the server's rendered (escaped) markdown
// fields, named *html or title/description/value/name/footer/author in embeds, use innerHTML.
"use strict";

const TOKEN = document.querySelector('meta[name="playground-token"]').content;
const state = { me: "owner", channel: null, view: null, leaves: [], busy: false, modal: null };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k === "html") node.innerHTML = v; // server-rendered, escaped markdown only
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

async function api(path, body) {
  const opts = { headers: { "X-Playground-Token": TOKEN } };
  if (body !== undefined) {
    opts.method = "POST";
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const response = await fetch(path, opts);
  let data;
  try { data = await response.json(); } catch { data = { ok: false, error: `HTTP ${response.status}` }; }
  if (!response.ok && data.ok !== false) data = { ok: false, error: `HTTP ${response.status}` };
  return data;
}

function showError(text) {
  const box = $("errors");
  box.replaceChildren();
  if (text) box.append(el("p", { class: "error", text }));
}

// -- reading ------------------------------------------------------------------------------------
async function refresh() {
  const q = new URLSearchParams({ as: state.me });
  if (state.channel) q.set("channel", state.channel);
  const view = await api(`/api/view?${q}`);
  if (view.ok === false) {
    if (view.error && view.error.includes("starting")) { setTimeout(refresh, 500); return; }
    state.channel = null;
    showError(view.error);
    return;
  }
  state.view = view;
  if (!state.channel) {
    const first = view.channels.find((c) => c.name === "affirmations") || view.channels[0];
    state.channel = first.id;
    return refresh();
  }
  draw(view);
}

function draw(view) {
  $("guild-name").textContent = view.guild;
  $("now").textContent = formatTime(view.now, true);
  $("now").setAttribute("datetime", view.now);
  drawPeople(view);
  drawChannels(view);
  drawMessages(view);
  drawCommands(view);
  drawTour(view);
  drawProblems(view);
  document.body.dataset.version = view.version;
}

function formatTime(iso, long) {
  const d = new Date(iso);
  const opts = long
    ? { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", timeZone: "UTC" }
    : { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" };
  return d.toLocaleString("en-GB", opts) + " UTC";
}

function drawPeople(view) {
  const who = $("who");
  if (who.options.length === 0) {
    for (const p of view.people) who.append(el("option", { value: p.key, text: p.label }));
  }
  who.value = state.me;
}

function drawChannels(view) {
  const list = $("channels");
  list.replaceChildren();
  for (const c of view.channels) {
    const prefix = c.kind === "dm" ? "DM: " : c.kind === "thread" ? "↳ " : c.kind === "forum" ? "▤ " : "# ";
    const button = el("button", {
      type: "button", class: `chan ${c.kind}`, "aria-current": c.id === state.channel ? "page" : false,
      "data-channel": c.id, text: prefix + c.name,
      onclick: () => { state.channel = c.id; refresh(); },
    });
    list.append(el("li", {}, button));
  }
  const current = view.channels.find((c) => c.id === state.channel);
  $("channel-title").textContent = current ? (current.kind === "dm" ? "Direct messages with Rebound" : current.name) : "";
}

function drawMessages(view) {
  const box = $("messages");
  const stay = box.dataset.channel === state.channel &&
    box.scrollHeight - box.scrollTop - box.clientHeight > 40 && box.dataset.count === String(view.messages.length);
  const keep = box.scrollTop;
  box.dataset.channel = state.channel;
  box.dataset.count = String(view.messages.length);
  box.replaceChildren();
  if (view.messages.length === 0) box.append(el("p", { class: "empty", text: "No messages here yet." }));
  for (const m of view.messages) box.append(drawMessage(m));
  // New messages (or another channel) scroll to the newest; a reader scrolled up stays put.
  box.scrollTop = stay ? keep : box.scrollHeight;
}

function drawMessage(m) {
  const node = el("article", { class: `msg${m.ephemeral ? " ephemeral" : ""}`, "data-id": m.id });
  const head = el("header", {},
    el("span", { class: "author", text: m.author }),
    m.bot ? el("span", { class: "tag", text: "APP" }) : null,
    el("time", { datetime: m.timestamp, text: formatTime(m.timestamp) }),
    m.edited ? el("span", { class: "edited", text: "(edited)" }) : null);
  node.append(head);
  if (m.reply_to) node.append(el("div", { class: "reply", text: `↪ replying to ${m.reply_to}` }));
  if (m.html) node.append(el("div", { class: "content", html: m.html }));
  for (const e of m.embeds) node.append(drawEmbed(e));
  for (const a of m.attachments) {
    node.append(a.image
      ? el("img", { class: "attachment", src: a.url, alt: a.filename })
      : el("a", { href: a.url, text: a.filename, download: a.filename }));
  }
  for (const c of m.components) node.append(drawComponent(c, m));
  if (m.thread) {
    node.append(el("button", { type: "button", class: "link", text: "Open thread",
      onclick: () => { state.channel = m.thread; refresh(); } }));
  }
  if (m.ephemeral) node.append(el("p", { class: "only-you", text: "Only you can see this" }));
  return node;
}

function drawEmbed(e) {
  const node = el("section", { class: "embed" });
  if (e.color) node.style.borderLeftColor = e.color;
  if (e.author) node.append(el("div", { class: "embed-author", html: e.author }));
  if (e.title) node.append(el("div", { class: "embed-title", html: e.title }));
  if (e.description) node.append(el("div", { class: "embed-description", html: e.description }));
  if (e.fields.length) {
    const fields = el("div", { class: "fields" });
    for (const f of e.fields) {
      fields.append(el("div", { class: `field${f.inline ? " inline" : ""}` },
        el("div", { class: "field-name", html: f.name }), el("div", { class: "field-value", html: f.value })));
    }
    node.append(fields);
  }
  if (e.image) node.append(el("img", { class: "embed-image", src: e.image, alt: "embedded image" }));
  if (e.thumbnail) node.append(el("img", { class: "embed-thumb", src: e.thumbnail, alt: "thumbnail" }));
  if (e.footer) node.append(el("div", { class: "embed-footer", html: e.footer }));
  return node;
}

function drawComponent(c, m) {
  if (c.type === 1 || c.type === 17 || c.type === 9) {
    const box = el("div", { class: c.type === 1 ? "row" : "container" });
    for (const inner of c.components || []) box.append(drawComponent(inner, m));
    if (c.accessory) box.append(drawComponent(c.accessory, m));
    return box;
  }
  if (c.type === 10) return el("div", { class: "content", html: c.html || "" });
  if (c.type === 14) return el("hr");
  if (c.type === 2) {
    if (c.url) return el("a", { class: "button link", href: c.url, target: "_blank", rel: "noopener noreferrer", text: c.label || "Link" });
    return el("button", {
      type: "button", class: `button style-${c.style || 1}`, disabled: !!c.disabled,
      "data-custom-id": c.custom_id, text: `${c.emoji ? c.emoji + " " : ""}${c.label || ""}`,
      onclick: () => act("/api/click", { as: state.me, message: m.id, custom_id: c.custom_id }),
    });
  }
  if ([3, 5, 6, 7, 8].includes(c.type)) {
    const select = el("select", { "data-custom-id": c.custom_id, disabled: !!c.disabled,
      multiple: (c.max_values || 1) > 1, "aria-label": c.placeholder || "Choose" });
    if ((c.max_values || 1) <= 1) select.append(el("option", { value: "", text: c.placeholder || "Choose…" }));
    for (const o of selectOptions(c)) select.append(el("option", { value: o.value, text: o.label }));
    const pick = el("button", { type: "button", class: "button", text: "Choose", disabled: !!c.disabled,
      onclick: () => {
        const values = [...select.selectedOptions].map((o) => o.value).filter((v) => v !== "");
        act("/api/select", { as: state.me, message: m.id, custom_id: c.custom_id, values });
      } });
    return el("div", { class: "row" }, select, pick);
  }
  return el("span");
}

function selectOptions(c) {
  const pick = state.view.pick;
  if (c.type === 3) return (c.options || []).map((o) => ({ value: o.value, label: o.label }));
  if (c.type === 5) return pick.users.map((u) => ({ value: u.id, label: u.name }));
  if (c.type === 6) return pick.roles.map((r) => ({ value: r.id, label: r.name }));
  if (c.type === 7) return [...pick.users.map((u) => ({ value: u.id, label: u.name })), ...pick.roles.map((r) => ({ value: r.id, label: "@" + r.name }))];
  return pick.channels.map((ch) => ({ value: ch.id, label: "#" + ch.name }));
}

// -- slash commands -----------------------------------------------------------------------------
function leavesOf(commands, inDm) {
  const out = [];
  for (const cmd of commands) {
    if ((cmd.type || 1) !== 1) continue;
    const contexts = cmd.contexts;
    if (inDm && (cmd.guild_id || (contexts && !contexts.includes(1)) || cmd.dm_permission === false)) continue;
    if (!inDm && contexts && !contexts.includes(0)) continue;
    const walk = (node, path) => {
      const subs = (node.options || []).filter((o) => o.type === 1 || o.type === 2);
      if (subs.length === 0) { out.push({ path, description: node.description || "", options: node.options || [] }); return; }
      for (const s of subs) walk(s, `${path} ${s.name}`);
    };
    walk(cmd, cmd.name);
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

function drawCommands(view) {
  const current = view.channels.find((c) => c.id === state.channel);
  state.leaves = leavesOf(view.commands, current && current.kind === "dm");
  const list = $("command-list");
  list.replaceChildren();
  for (const leaf of state.leaves) list.append(el("option", { value: "/" + leaf.path, text: leaf.description }));
}

function currentLeaf() {
  const typed = $("command").value.trim().replace(/^\//, "").replace(/\s+/g, " ");
  return state.leaves.find((l) => l.path === typed) || null;
}

function drawOptions() {
  const box = $("options");
  const leaf = currentLeaf();
  if (box.dataset.path === (leaf ? leaf.path : "")) return;
  box.dataset.path = leaf ? leaf.path : "";
  box.replaceChildren();
  if (!leaf) return;
  for (const opt of leaf.options) box.append(optionField(leaf, opt));
}

function optionField(leaf, opt) {
  const id = `opt-${opt.name}`;
  const label = el("label", { for: id, text: `${opt.name}${opt.required ? " *" : ""}`, title: opt.description || "" });
  let control;
  const pick = state.view.pick;
  const choice = (items) => {
    const s = el("select", { id, name: opt.name, required: !!opt.required });
    s.append(el("option", { value: "", text: opt.required ? "Choose…" : "(leave out)" }));
    for (const [value, text] of items) s.append(el("option", { value, text }));
    return s;
  };
  if (opt.choices && opt.choices.length) control = choice(opt.choices.map((c) => [String(c.value), c.name]));
  else if (opt.type === 5) control = choice([["true", "True"], ["false", "False"]]);
  else if (opt.type === 6) control = choice(pick.users.map((u) => [u.id, u.name]));
  else if (opt.type === 8) control = choice(pick.roles.map((r) => [r.id, "@" + r.name]));
  else if (opt.type === 9) control = choice([...pick.users.map((u) => [u.id, u.name]), ...pick.roles.map((r) => [r.id, "@" + r.name])]);
  else if (opt.type === 7) {
    const types = opt.channel_types;
    control = choice(pick.channels.filter((c) => !types || types.includes(c.type)).map((c) => [c.id, "#" + c.name]));
  } else {
    control = el("input", { id, name: opt.name, required: !!opt.required,
      type: (opt.type === 4 || opt.type === 10) && !opt.autocomplete ? "number" : "text",
      step: opt.type === 10 ? "any" : undefined, maxlength: opt.max_length, placeholder: opt.description || "" });
    if (opt.autocomplete) {
      const listId = `${id}-choices`;
      control.setAttribute("list", listId);
      const datalist = el("datalist", { id: listId });
      let timer = null;
      const ask = () => {
        clearTimeout(timer);
        timer = setTimeout(async () => {
          const res = await api("/api/autocomplete", { as: state.me, channel: state.channel, command: leaf.path,
            options: collectOptions(), focused: opt.name });
          if (res.ok === false) { showError(res.error); return; }
          datalist.replaceChildren(...res.choices.map((c) => el("option", { value: String(c.value), text: c.name })));
          control.dataset.choices = String(res.choices.length);
        }, 120);
      };
      control.addEventListener("input", ask);
      control.addEventListener("focus", ask);
      return el("div", { class: "option" }, label, control, datalist);
    }
  }
  return el("div", { class: "option" }, label, control);
}

function collectOptions() {
  const out = {};
  for (const input of $("options").querySelectorAll("input, select")) {
    if (input.value !== "") out[input.name] = input.value;
  }
  return out;
}

async function runCommand(event) {
  event.preventDefault();
  const leaf = currentLeaf();
  if (!leaf) { showError("Pick a command from the list (type / to see them)."); return; }
  const ok = await act("/api/invoke", { as: state.me, channel: state.channel, command: leaf.path, options: collectOptions() });
  if (ok) { $("command").value = ""; drawOptions(); }
}

// -- acting -------------------------------------------------------------------------------------
async function act(path, body) {
  if (state.busy) return false;
  state.busy = true;
  document.body.classList.add("busy");
  showError("");
  try {
    const res = await api(path, body);
    if (res.ok === false && res.error) { showError(res.error); return false; }
    if (res.errors && res.errors.length) showError(res.errors.join(" "));
    if (res.modal) openModal(res.modal);
    await refresh();
    return true;
  } finally {
    state.busy = false;
    document.body.classList.remove("busy");
  }
}

function openModal(modal) {
  state.modal = modal;
  $("modal-title").textContent = modal.title;
  const box = $("modal-fields");
  box.replaceChildren();
  for (const top of modal.components || []) {
    if (top.type === 1) for (const child of top.components || []) box.append(modalField(child, child.label, null));
    else if (top.type === 18) box.append(modalField(top.component, top.label, top.description));
    else if (top.type === 10) box.append(el("div", { class: "content", text: top.content || "" }));
  }
  $("modal").showModal();
  const first = box.querySelector("input, textarea, select");
  if (first) first.focus();
}

function modalField(c, labelText, description) {
  const id = `modal-${c.custom_id}`;
  const wrap = el("div", { class: "option" }, el("label", { for: id, text: `${labelText || c.custom_id}${c.required !== false ? " *" : ""}` }));
  if (description) wrap.append(el("small", { text: description }));
  if (c.type === 4) {
    const attrs = { id, "data-custom-id": c.custom_id, required: c.required !== false,
      maxlength: c.max_length, minlength: c.min_length, placeholder: c.placeholder };
    const input = c.style === 2 ? el("textarea", { ...attrs, rows: 5 }) : el("input", { ...attrs, type: "text" });
    input.value = c.value || "";
    wrap.append(input);
  } else if ([3, 5, 6, 7, 8].includes(c.type)) {
    const select = el("select", { id, "data-custom-id": c.custom_id, "data-select": "1", multiple: (c.max_values || 1) > 1 });
    if ((c.max_values || 1) <= 1) select.append(el("option", { value: "", text: c.placeholder || "Choose…" }));
    for (const o of selectOptions(c)) {
      const opt = el("option", { value: o.value, text: o.label });
      if ((c.options || []).some((x) => x.value === o.value && x.default)) opt.selected = true;
      select.append(opt);
    }
    wrap.append(select);
  }
  return wrap;
}

async function submitModal(event) {
  event.preventDefault();
  const values = {};
  for (const input of $("modal-fields").querySelectorAll("[data-custom-id]")) {
    values[input.dataset.customId] = input.dataset.select
      ? [...input.selectedOptions].map((o) => o.value).filter((v) => v !== "")
      : input.value;
  }
  const modal = state.modal;
  $("modal").close();
  await act("/api/modal", { as: state.me, custom_id: modal.custom_id, values });
}

function drawTour(view) {
  const list = $("tour");
  list.replaceChildren();
  for (const step of view.tour) {
    list.append(el("li", { class: step.done ? "done" : "", "data-step": step.key },
      el("span", { class: "mark", "aria-label": step.done ? "done" : "to do", text: step.done ? "✔ " : "○ " }),
      el("span", { text: step.text })));
  }
}

function drawProblems(view) {
  const list = $("problems");
  list.replaceChildren();
  if (!view.errors.length) list.append(el("li", { class: "none", text: "None: every request was accepted." }));
  for (const e of view.errors) list.append(el("li", { class: "error", text: e }));
}

// -- wiring -------------------------------------------------------------------------------------
$("who").addEventListener("change", (e) => {
  state.me = e.target.value;
  const current = state.view && state.view.channels.find((c) => c.id === state.channel);
  if (current && current.kind === "dm") state.channel = null;
  refresh();
});
$("command").addEventListener("input", drawOptions);
$("command").addEventListener("change", drawOptions);
$("composer").addEventListener("submit", runCommand);
$("modal-form").addEventListener("submit", submitModal);
$("modal-cancel").addEventListener("click", () => $("modal").close());
for (const button of document.querySelectorAll("[data-step]")) {
  if (button.tagName === "BUTTON") button.addEventListener("click", () => act("/api/clock", { step: button.dataset.step }));
}
$("reset").addEventListener("click", () => {
  if (confirm("Start over with a fresh server? Everything in this playground is erased.")) act("/api/reset", {});
});
document.addEventListener("click", (e) => {
  if (e.target.classList && e.target.classList.contains("spoiler")) e.target.classList.add("shown");
});
document.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && e.target.classList && e.target.classList.contains("spoiler")) e.target.classList.add("shown");
});

const events = new EventSource(`/api/events?token=${encodeURIComponent(TOKEN)}`);
events.addEventListener("change", () => { if (!state.busy) refresh(); });
refresh();

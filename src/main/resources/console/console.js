"use strict";
// The Backchannel console: plain JavaScript over the REST API and its event streams.
// The key lives in sessionStorage and travels only in the X-API-Key header; streams use
// short-lived read-only stream tokens, because EventSource cannot send headers.
(function () {
  const KEY_ITEM = "backchannel.console.key";
  const TOKEN_TTL_SECONDS = 600;
  const $ = (id) => document.getElementById(id);
  const state = { key: null, channel: null, source: null, lastSeq: 0, rows: new Map(), statsTimer: null, tokenTimer: null };

  async function api(method, path, body) {
    const headers = { "X-API-Key": state.key, "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    if (!response.ok) {
      const error = new Error((json.error || response.status) + ": " + (json.message || ""));
      error.code = json.error;
      throw error;
    }
    return json;
  }

  const enc = encodeURIComponent;

  function show(id, message) { $(id).textContent = message || ""; }

  async function signIn(key) {
    state.key = key;
    try {
      const me = await api("GET", "/v1/keys/me");
      sessionStorage.setItem(KEY_ITEM, key);
      $("who").textContent = me.agent_label || me.owner_id || me.key_id || "";
      $("signin-panel").hidden = true;
      $("app").hidden = false;
      $("signout").hidden = false;
      document.body.dataset.state = "signed-in";
      show("signin-error");
      await loadChannels();
    } catch (e) {
      state.key = null;
      sessionStorage.removeItem(KEY_ITEM);
      show("signin-error", "Sign-in failed: " + e.message);
    }
  }

  function signOut() {
    closeStream();
    sessionStorage.removeItem(KEY_ITEM);
    state.key = null;
    state.channel = null;
    $("key").value = "";
    $("app").hidden = true;
    $("channel-panel").hidden = true;
    $("signout").hidden = true;
    $("signin-panel").hidden = false;
    document.body.dataset.state = "signed-out";
  }

  async function loadChannels() {
    const list = $("channels");
    try {
      const page = await api("GET", "/v1/channels?limit=100");
      list.replaceChildren(...page.data.map((channel) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.channel = channel.id;
        button.textContent = channel.name + " · " + channel.mode;
        button.addEventListener("click", () => openChannel(channel.id));
        item.append(button);
        return item;
      }));
    } catch (e) {
      list.replaceChildren();
      show("channel-error", "Channels could not be listed: " + e.message);
    }
  }

  async function openChannel(ref) {
    closeStream();
    show("channel-error");
    let channel;
    try {
      channel = await api("GET", "/v1/channels/" + enc(ref));
    } catch (e) {
      show("channel-error", "Cannot open " + ref + ": " + e.message);
      $("channel-panel").hidden = false;
      return;
    }
    state.channel = channel;
    state.rows = new Map();
    state.lastSeq = 0;
    document.querySelectorAll("#channels button").forEach((b) => b.classList.toggle("current", b.dataset.channel === channel.id));
    $("channel-title").textContent = channel.name;
    $("channel-info").textContent = channel.mode + " · " + channel.access + " · id " + channel.id
      + (channel.max_deliveries ? " · max deliveries " + channel.max_deliveries : "");
    $("messages").replaceChildren();
    $("channel-panel").hidden = false;
    $("channel-panel").dataset.channel = channel.id;
    await loadBacklog();
    await openStream();
    refreshStats();
  }

  // Reads the channel from the start (up to 1,000 messages), renders what it holds, and drops rows
  // up to the last seq read that the channel no longer holds (dead-lettered, expired, retracted).
  async function loadBacklog() {
    const channel = state.channel;
    const seen = new Set();
    let high = 0;
    let cursor = "0";
    for (let pages = 0; pages < 10; pages++) {
      const page = await api("GET", "/v1/channels/" + enc(channel.id) + "/messages?limit=100&since=" + enc(cursor));
      if (state.channel !== channel) return;
      page.data.forEach((m) => {
        seen.add(m.id);
        high = Math.max(high, m.seq);
        render(m, false);
      });
      if (page.data.length < 100) break;
      cursor = page.next_cursor;
    }
    for (const [id, row] of state.rows) {
      const seq = Number(row.dataset.seq);
      if (!seen.has(id) && seq <= high) {
        row.remove();
        state.rows.delete(id);
      }
    }
  }

  async function openStream() {
    const channel = state.channel;
    let token;
    try {
      token = await api("POST", "/v1/keys/me/stream-tokens", { channels: [channel.id], ttl_seconds: TOKEN_TTL_SECONDS });
    } catch (e) {
      show("channel-error", "Live updates unavailable: " + e.message);
      return;
    }
    if (state.channel !== channel) return;
    const events = channel.mode === "claimable" ? "&events=message,claimed,released,acked,expired,retracted" : "";
    const source = new EventSource("/v1/channels/" + enc(channel.id) + "/stream?since=" + state.lastSeq
      + events + "&token=" + enc(token.token));
    state.source = source;
    source.onopen = () => setStream("open");
    source.onerror = () => {
      setStream("reconnecting");
      if (source.readyState === EventSource.CLOSED) reopenSoon();
    };
    const onEvent = (e) => {
      render(JSON.parse(e.data), true);
      refreshStatsSoon();
    };
    ["message", "claimed", "released", "acked", "expired", "retracted"].forEach((name) => source.addEventListener(name, onEvent));
    source.addEventListener("reset", () => show("channel-error", "Some history has expired; showing what is still held."));
    // A token lives ten minutes: reconnect with a fresh one (from the last seq) before it lapses.
    state.tokenTimer = setTimeout(() => { if (state.source === source) { closeStream(); openStream(); } },
      (TOKEN_TTL_SECONDS - 60) * 1000);
  }

  function reopenSoon() {
    closeStream();
    setTimeout(() => { if (state.channel && !state.source) openStream(); }, 2000);
  }

  function closeStream() {
    if (state.source) state.source.close();
    state.source = null;
    clearTimeout(state.tokenTimer);
    setStream("closed");
  }

  function setStream(value) {
    document.body.dataset.stream = value;
    $("stream-state").textContent = value;
  }

  function status(m) {
    if (m.acknowledged_by && m.acknowledged_by.length) return "acked";
    if (m.claimed_by) return "claimed";
    return m.active === false ? "inactive" : "unclaimed";
  }

  function actorName(ref) {
    if (!ref) return "";
    if (typeof ref === "string") return ref;
    if (ref.actor) return actorName(ref.actor);
    return ref.name || ref.actor_name || ref.id || "";
  }

  function render(m, fresh) {
    if (m.seq && m.seq > state.lastSeq) state.lastSeq = m.seq;
    let row = state.rows.get(m.id);
    if (!row) {
      row = document.createElement("tr");
      row.dataset.message = m.id;
      for (let i = 0; i < 5; i++) row.append(document.createElement("td"));
      row.cells[1].className = "content";
      state.rows.set(m.id, row);
      $("messages").prepend(row);
    }
    const s = status(m);
    row.dataset.state = s;
    row.dataset.seq = m.seq;
    row.cells[0].textContent = m.seq;
    row.cells[1].textContent = m.content;
    row.cells[2].className = "state-" + s;
    row.cells[2].textContent = s === "claimed" ? "claimed by " + actorName(m.claimed_by)
      : s === "acked" ? "acked by " + m.acknowledged_by.map(actorName).join(", ") : s;
    row.cells[3].textContent = m.delivery_count || 0;
    row.cells[4].replaceChildren(...actions(m, s));
    if (fresh) {
      row.classList.remove("fresh");
      void row.offsetWidth;
      row.classList.add("fresh");
    }
  }

  function actions(m, s) {
    if (state.channel.mode !== "claimable" || s === "acked") return [];
    const buttons = [];
    if (s === "unclaimed") buttons.push(button("Claim", "claim", () => verb(m, "claim")));
    if (s === "claimed") buttons.push(button("Release", "release", () => verb(m, "release")));
    buttons.push(button("Ack", "ack", () => verb(m, "ack")));
    return buttons;
  }

  function button(label, action, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.dataset.action = action;
    b.addEventListener("click", onClick);
    return b;
  }

  async function verb(m, name) {
    try {
      const result = await api("POST", "/v1/messages/" + enc(m.id) + "/" + name, {});
      if (result.message) render(result.message, false);
      show("channel-error");
      refreshStatsSoon();
    } catch (e) {
      show("channel-error", name + " failed: " + e.message);
    }
  }

  async function postMessage(event) {
    event.preventDefault();
    const content = $("content").value;
    if (!content.trim() || !state.channel) return;
    try {
      const posted = await api("POST", "/v1/channels/" + enc(state.channel.id) + "/messages", { content });
      render(posted.message, true);
      $("content").value = "";
      show("channel-error");
    } catch (e) {
      show("channel-error", "Post failed: " + e.message);
    }
  }

  function refreshStatsSoon() {
    clearTimeout(state.statsTimer);
    state.statsTimer = setTimeout(refreshStats, 300);
  }

  async function refreshStats() {
    const channel = state.channel;
    if (!channel) return;
    try {
      await loadBacklog();
    } catch (e) {
      show("channel-error", "Messages could not be read: " + e.message);
    }
    try {
      const stats = await api("GET", "/v1/channels/" + enc(channel.id) + "/metrics");
      $("depth").textContent = stats.message_counts.unclaimed;
      $("claimed-count").textContent = stats.message_counts.claimed;
      $("acked-count").textContent = stats.message_counts.acknowledged;
    } catch (e) {
      $("depth").textContent = "?";
    }
    await refreshDeadLetters(channel);
  }

  async function refreshDeadLetters(channel) {
    if (!channel.dead_letter_channel) {
      $("dead-count").textContent = "none configured";
      $("dead-panel").hidden = true;
      return;
    }
    try {
      const page = await api("GET", "/v1/channels/" + enc(channel.dead_letter_channel) + "/messages?since=0&limit=100");
      $("dead-count").textContent = page.data.length + (page.data.length === 100 ? "+" : "");
      $("dead-letters").replaceChildren(...page.data.map((m) => {
        const row = document.createElement("tr");
        [m.seq, m.content, typeof m.last_failure === "string" ? m.last_failure : (m.last_failure ? JSON.stringify(m.last_failure) : ""), m.delivery_count].forEach((value) => {
          const cell = document.createElement("td");
          cell.textContent = value === undefined || value === null ? "" : value;
          row.append(cell);
        });
        return row;
      }));
      $("dead-panel").hidden = page.data.length === 0;
    } catch (e) {
      $("dead-count").textContent = "unreadable (" + (e.code || e.message) + ")";
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("signin-form").addEventListener("submit", (e) => { e.preventDefault(); signIn($("key").value.trim()); });
    $("signout").addEventListener("click", signOut);
    $("refresh-channels").addEventListener("click", loadChannels);
    $("open-form").addEventListener("submit", (e) => { e.preventDefault(); const ref = $("open-channel").value.trim(); if (ref) openChannel(ref); });
    $("post-form").addEventListener("submit", postMessage);
    const saved = sessionStorage.getItem(KEY_ITEM);
    if (saved) signIn(saved);
  });
})();

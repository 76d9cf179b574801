// The phone app (README, "The phone app"): IndexedDB keeps only the stage name and unsent logs.
(() => {
  const body = document.body, owner = body.dataset.owner || "", DB = "studio";
  const WAIT = "Saved on this phone, will send when you are back online.";
  const LOGIN = "/accounts/login/";
  let busy = 0;
  if (navigator.serviceWorker && body.dataset.sw) navigator.serviceWorker.register(body.dataset.sw);

  const store = (name, mode, work) => new Promise((ok, fail) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore("meta");
      req.result.createObjectStore("outbox", { keyPath: "token" });
    };
    req.onerror = fail;
    req.onsuccess = () => {
      const db = req.result, tx = db.transaction(name, mode), out = work(tx.objectStore(name));
      tx.oncomplete = () => { db.close(); ok(out.result); };
      tx.onerror = () => { db.close(); fail(tx.error); };
    };
  });
  const say = (text, login) => {
    const box = document.getElementById("messages");
    let note = document.getElementById("phone-note");
    if (!box) return;
    if (!note) { note = box.appendChild(document.createElement("div")); note.id = "phone-note"; }
    note.className = "alert alert-warning";
    note.innerHTML = text + (login ? ` <a href="${LOGIN}?next=${encodeURIComponent(location.pathname)}">Log in again</a>` : "");
  };

  async function send() {
    if (busy || !owner || !navigator.onLine) return;
    busy = 1;
    let sent = 0;
    try {
      for (const entry of await store("outbox", "readonly", (s) => s.getAll())) {
        if (entry.owner === owner) {
          const r = await fetch(entry.url, {
            method: "POST", body: entry.body, credentials: "same-origin",
            headers: { "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true",
              "X-CSRFToken": JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"] },
          });
          if (!r.ok || r.url.includes(LOGIN)) break;
          const saved = (await r.text()).includes('id="result-title"');
          sent += saved;
          if (!saved) say("A session kept on this phone could not be saved: please log it again.");
        }
        await store("outbox", "readwrite", (s) => s.delete(entry.token));
      }
    } catch (error) {}
    busy = 0;
    if (sent) say('Sent: the session saved on this phone is logged. <a href="/me/">See today</a>');
  }

  const kept = (event, text, login) => {
    const d = event.detail, form = (d.requestConfig || d).elt.closest("form[data-outbox]");
    if (!form || !owner) return;
    const data = new URLSearchParams(new FormData(form));
    data.delete("csrfmiddlewaretoken");
    store("outbox", "readwrite", (s) => s.put({ token: data.get("token"), owner, url: form.action, body: "" + data }))
      .then(() => say(text, login));
    return 1;
  };
  document.addEventListener("htmx:sendError", (event) => {
    kept(event, WAIT) || say("No connection, so nothing was sent. What you entered is still here: try again when you are back online.");
  });
  document.addEventListener("htmx:responseError", () => {
    say("Something went wrong on our side and nothing was saved. What you entered is still here: please try again.");
  });
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (!event.detail.xhr.responseURL.includes(LOGIN)) return;
    event.detail.shouldSwap = false;
    kept(event, "Your login has expired. Your entry is saved on this phone and will be sent once you log in again.", 1) ||
      say("Your login has expired. What you entered is still here.", 1);
  });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.action.includes("/accounts/logout/") || form.dataset.wiped) return;
    event.preventDefault();
    const req = indexedDB.deleteDatabase(DB);
    req.onsuccess = req.onerror = req.onblocked = () => { form.dataset.wiped = 1; form.submit(); };
  });
  document.addEventListener("click", (event) => {
    const chapter = event.target.closest("[data-seek]"), video = chapter && document.getElementById(chapter.dataset.video);
    if (video) { event.preventDefault(); video.currentTime = +chapter.dataset.seek; video.play(); }
  });
  const clock = () => document.querySelectorAll("time[data-zone]").forEach((t) => {
    t.textContent = new Intl.DateTimeFormat(undefined, { timeStyle: "short", timeZone: t.dataset.zone }).format(new Date(t.dateTime));
  });
  document.addEventListener("htmx:afterSettle", clock);
  addEventListener("online", send);
  document.addEventListener("DOMContentLoaded", async () => {
    clock();
    const named = document.querySelector("[data-stage-name]"), shell = document.querySelector("[data-shell-stage]");
    if (named && owner) store("meta", "readwrite", (s) => s.put(named.dataset.stageName, "stage"));
    if (shell) {
      const name = await store("meta", "readonly", (s) => s.get("stage"));
      if (name) { shell.textContent = name; shell.parentNode.hidden = false; }
    }
    if (!shell && (await store("outbox", "readonly", (s) => s.getAll())).some((e) => e.owner === owner)) {
      navigator.onLine ? send() : say(WAIT);
    }
  });
})();

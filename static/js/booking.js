// The booking pages in the visitor's own zone and locale, with no second page load. The
// server sends times as UTC instants (a[data-start], time[datetime]) grouped in the zone
// it knows; here Intl formats them (12- or 24-hour, as the browser's locale has it) and
// regroups the free times by the visitor's own day and morning, afternoon or evening.
// Without this script the server's grouping and times stand.
(function () {
  "use strict";
  var I = window.Intl, own;
  try {
    own = I.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!own) {
    return;
  }
  var PARTS = ["Morning", "Afternoon", "Evening"];

  function fmt(zone, opts) {
    opts.timeZone = zone;
    return new I.DateTimeFormat(undefined, opts);
  }
  // "9:00 AM" where the locale uses a 12-hour clock, "09:00" where it uses 24 hours.
  function clock(zone) {
    var h12 = fmt(zone, { hour: "numeric" }).resolvedOptions().hour12;
    return { hour: h12 ? "numeric" : "2-digit", minute: "2-digit" };
  }
  function make(tag, cls, text) {
    var e = document.createElement(tag);
    e.className = cls || "";
    e.textContent = text || "";
    return e;
  }
  function all(root, sel) {
    return Array.prototype.slice.call(root.querySelectorAll(sel));
  }
  function withZone(url, zone) {
    return url.replace(/([?&]tz=)[^&#]*/, "$1" + encodeURIComponent(zone));
  }

  function render(list, zone) {
    var days = list.querySelector("[data-days]");
    all(list, "a[data-tz-link]").forEach(function (a) { a.href = withZone(a.href, zone); });
    var label = list.querySelector("[data-zone-label]");
    if (label) {
      label.textContent = zone.replace(/_/g, " ");
    }
    if (!days) {
      return;
    }
    var dayF = fmt(zone, { weekday: "long", day: "numeric", month: "long" });
    var keyF = fmt(zone, { year: "numeric", month: "numeric", day: "numeric" });
    var hourF = fmt(zone, { hour: "numeric", hourCycle: "h23" });
    var timeF = fmt(zone, clock(zone));
    var groups = [], byKey = {};
    all(days, "a[data-start]").forEach(function (a) {
      var at = new Date(a.getAttribute("data-start")), key = keyF.format(at), g = byKey[key];
      if (!g) {
        g = byKey[key] = { label: dayF.format(at), n: 0, parts: [[], [], []] };
        groups.push(g);
      }
      var h = parseInt(hourF.format(at), 10) % 24;
      g.parts[h < 12 ? 0 : h < 17 ? 1 : 2].push(a);
      g.n += 1;
      a.textContent = timeF.format(at);
      a.setAttribute("aria-label", g.label + " at " + a.textContent);
      a.href = withZone(a.href, zone);
    });
    days.textContent = "";
    groups.forEach(function (g, i) {
      var box = days;
      if (i === 0) {
        days.appendChild(make("h3", "h5 mt-2", g.label));
      } else {
        if (i === 1) {
          days.appendChild(make("h3", "h6 mt-4", "More days"));
        }
        box = days.appendChild(make("details", "border-top py-2"));
        var summary = box.appendChild(make("summary", "py-2", g.label + " "));
        summary.appendChild(make("span", "small text-secondary-strong", "· " + g.n + " free"));
      }
      g.parts.forEach(function (slots, p) {
        if (slots.length) {
          box.appendChild(make("h4", "h6 mt-2", PARTS[p]));
          var ul = box.appendChild(make("ul", "list-unstyled slot-grid"));
          slots.forEach(function (a) { ul.appendChild(make("li")).appendChild(a); });
        }
      });
    });
  }

  function localTimes(zone) {
    var opts = clock(zone), short = fmt(zone, clock(zone));
    opts.weekday = "long";
    opts.day = "numeric";
    opts.month = "long";
    var long = fmt(zone, opts);
    all(document, "time[data-local]").forEach(function (t) {
      var f = t.getAttribute("data-local") === "time" ? short : long;
      t.textContent = f.format(new Date(t.getAttribute("datetime")));
    });
    all(document, "[data-local-zone]").forEach(function (e) { e.textContent = zone.replace(/_/g, " "); });
  }

  function start() {
    var select = document.querySelector("[data-tz-form] select[name=tz]");
    var zone = own;
    if (select) {
      if (select.hasAttribute("data-chosen")) {
        zone = select.value;
      } else if (!all(select, "option").some(function (o) { return o.value === own; })) {
        select.insertBefore(new Option(own.replace(/_/g, " "), own), select.firstChild);
      }
      select.value = zone;
      select.addEventListener("change", function () {
        var list = document.querySelector("[data-slots]");
        if (list) {
          render(list, select.value);
        }
      });
    }
    all(document, "input[data-own-zone]").forEach(function (i) { i.value = own; });
    var list = document.querySelector("[data-slots]");
    if (list) {
      render(list, zone);
    }
    localTimes(own);
  }
  document.addEventListener("DOMContentLoaded", start);
  // After htmx swaps in another coach's or week's times (the old element is the event's
  // target by then, so look the list up again).
  document.addEventListener("htmx:afterSettle", function () {
    var list = document.querySelector("[data-slots]");
    var select = document.querySelector("[data-tz-form] select[name=tz]");
    if (list) {
      render(list, select ? select.value : own);
    }
  });
})();

// Debrief's only script of its own: the upload progress bar, keyboard
// moves through the timeline (j/k) and the retro room's agenda (n/p), and
// the room's clock. Pages work without it.
document.addEventListener("htmx:xhr:progress", function (e) {
  var bar = document.getElementById("upload-progress");
  if (!bar || !e.detail.lengthComputable) return;
  bar.hidden = false;
  bar.value = Math.round((e.detail.loaded / e.detail.total) * 100);
});
document.addEventListener("htmx:afterRequest", function () {
  var bar = document.getElementById("upload-progress");
  if (bar) bar.hidden = true;
});
document.addEventListener("keydown", function (e) {
  if (e.target.closest("input, textarea, select") || e.metaKey || e.ctrlKey || e.altKey) return;
  // The retro room: n and p move the agenda, for whoever drives it.
  if (e.key === "n" || e.key === "p") {
    var b = document.querySelector(e.key === "n" ? ".drive button.primary" : ".drive button.back");
    if (b) b.click();
    return;
  }
  if (e.key !== "j" && e.key !== "k") return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("#timeline li.event"));
  if (!rows.length) return;
  var cur = rows.findIndex(function (r) { return r.classList.contains("current"); });
  var next = e.key === "j" ? Math.min(cur + 1, rows.length - 1) : Math.max(cur - 1, 0);
  if (cur >= 0) rows[cur].classList.remove("current");
  rows[next].classList.add("current");
  rows[next].scrollIntoView({ block: "nearest" });
});
// The retro room's clock: the current phase's time, against its budget,
// counted from the server's time (data-now) so a skewed laptop clock does
// not matter. The server draws the same figures at each refresh.
(function () {
  var el = document.querySelector(".timer .elapsed[data-since]");
  if (!el) return;
  var since = Date.parse(el.dataset.since), skew = Date.parse(el.dataset.now) - Date.now();
  var budget = Number(el.dataset.budget) * 60000;
  if (isNaN(since) || isNaN(skew)) return;
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function tick() {
    var ms = Math.max(0, Date.now() + skew - since), s = Math.floor(ms / 1000);
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    el.textContent = (h ? h + ":" + pad(m) : m) + ":" + pad(s % 60);
    el.classList.toggle("over", ms > budget);
  }
  tick();
  setInterval(tick, 1000);
})();
// Live pages say when their event stream is connected (and when it drops),
// for the eye (a style may use it) and for the browser tests, which wait
// for it before changing anything.
document.addEventListener("htmx:sseOpen", function () { document.body.dataset.live = "open"; });
document.addEventListener("htmx:sseError", function () { document.body.dataset.live = "error"; });

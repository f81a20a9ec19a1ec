// Debrief's only script of its own: the upload progress bar and keyboard
// moves through the timeline (j/k). Pages work without it.
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
  if (e.key !== "j" && e.key !== "k") return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("#timeline li.event"));
  if (!rows.length) return;
  var cur = rows.findIndex(function (r) { return r.classList.contains("current"); });
  var next = e.key === "j" ? Math.min(cur + 1, rows.length - 1) : Math.max(cur - 1, 0);
  if (cur >= 0) rows[cur].classList.remove("current");
  rows[next].classList.add("current");
  rows[next].scrollIntoView({ block: "nearest" });
});

// Import progress: polls the batch's small JSON status while it is checking or importing; reloads when it ends.
(function () {
  var _ = window.crmGettext;
  const box = document.getElementById("import-progress");
  if (!box) return;
  const busy = (status) => status === "checking" || status === "importing";
  if (!busy(box.dataset.status)) return;
  const set = (name, text) => { const el = box.querySelector(`[data-field="${name}"]`); if (el) el.textContent = text; };
  async function poll() {
    try {
      const answer = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      const data = await answer.json();
      const bar = box.querySelector('[data-field="bar"]');
      bar.style.width = `${data.percent}%`;
      bar.textContent = `${data.percent}%`;
      box.querySelector(".progress").setAttribute("aria-valuenow", data.percent);
      for (const name of ["total", "errors", "created", "updated", "skipped", "failed"]) set(name, data[name]);
      set("status_label", data.status_label);
      set("eta", data.eta_seconds == null ? "" : _("about %(n)s s left", { n: data.eta_seconds }));
      if (!busy(data.status)) { window.location.reload(); return; }
    } catch (error) { /* the next poll tries again */ }
    window.setTimeout(poll, 1500);
  }
  window.setTimeout(poll, 1000);
})();

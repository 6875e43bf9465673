/*
 * Admin instance page: when a rewind target is chosen, show which service tasks would run again
 * (GET data-preview-url?task_id=...). A file of its own: the Content-Security-Policy allows no inline script.
 */
(function () {
  const select = document.getElementById('rewind-target');
  const out = document.getElementById('rewind-effects');
  if (!select) return;
  const preview = () => fetch(select.dataset.previewUrl + '?task_id=' + encodeURIComponent(select.value))
    .then(r => r.json()).then(j => {
      out.textContent = j.service_tasks_run_again.length
        ? _('These service tasks will run again: %(tasks)s', {tasks: j.service_tasks_run_again.join(', ')}) : _('No service task runs again.');
    });
  select.addEventListener('change', preview);
  preview();
})();

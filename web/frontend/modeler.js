/*
 * The process modeler page: bpmn-js with the platform's properties panel, dmn-js for decision tables,
 * drafts, validation with problems marked on the diagram, and deployment.
 *
 * Bundled by esbuild (scripts/copy_assets.sh) into static/vendor/modeler.bundle.js. Needs the global
 * DmnJS (vendor/dmn-js/dmn-modeler.production.min.js) for .dmn files. Starts on a page that has
 * #crm-modeler and <script type="application/json" id="crm-modeler-data"> (see templates/processes/modeler.html).
 */
import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule
} from 'bpmn-js-properties-panel';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';

import { DmnTranslateModule } from './dmn_terms.js';
import { _ } from './i18n.js';
import { LibraryTranslateModule } from './library_terms.js';
import PlatformPropertiesProvider from './platform_properties.js';
import spiffModdle from './spiffworkflow.json';

const PlatformPropertiesModule = {
  __init__: ['crmPlatformProperties'],
  crmPlatformProperties: ['type', PlatformPropertiesProvider]
};

/**
 * DmnJS's options giving each of its editors the page's language. Per editor: dmn-js 17 builds each one with
 * ``{ ...common, ...ownOptions, additionalModules: ownOptions.additionalModules }``, which drops
 * ``common.additionalModules``.
 */
function dmnEditorOptions() {
  const translated = { additionalModules: [DmnTranslateModule] };
  return { drd: translated, decisionTable: translated, literalExpression: translated, boxedExpression: translated };
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

/** One file of the workspace in its own editor (BPMN or DMN). */
class Editor {
  constructor(name, xml, pane, catalog, onChange) {
    this.name = name;
    this.original = xml;
    this.kind = /\.dmn$/i.test(name) ? 'dmn' : 'bpmn';
    this.unreadable = [];
    this.pane = pane;
    if (this.kind === 'bpmn') {
      const canvas = pane.appendChild(el('div', 'crm-modeler-canvas'));
      const properties = pane.appendChild(el('div', 'crm-modeler-properties'));
      this.modeler = new BpmnModeler({
        container: canvas,
        propertiesPanel: { parent: properties },
        additionalModules: [
          BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule,
          PlatformPropertiesModule, LibraryTranslateModule
        ],
        moddleExtensions: { camunda: camundaModdle, spiffworkflow: spiffModdle },
        crmCatalog: catalog
      });
      this.modeler.on('commandStack.changed', onChange);
    } else {
      pane.appendChild(el('p', 'small text-body-secondary mb-1 crm-dmn-help', _(
        'Click a cell to change a rate, share or condition. "Hit policy" chooses which rules apply: Unique or '
        + 'First (the first matching rule) or Collect (every match). The pencil on a column header changes its '
        + 'label, the data it reads and its type (string, number, integer, boolean or date). Deploy makes a new '
        + 'version; records priced earlier keep theirs.')));
      const canvas = pane.appendChild(el('div', 'crm-modeler-canvas crm-modeler-dmn'));
      this.modeler = new window.DmnJS({ container: canvas, ...dmnEditorOptions() });
      this.modeler.on('views.changed', () => this._watchDmnView(onChange));
    }
  }

  async open() {
    const result = await this.modeler.importXML(this.original);
    // Content the modeler cannot read would be dropped on save: keep this file as it is instead.
    this.unreadable = (result.warnings || [])
      .map((w) => (w.message || String(w)).split('\n')[0])
      .filter((message) => /unparsable content|unknown type|unresolved reference/i.test(message));
    if (this.kind === 'bpmn') this.fit();
    return this.unreadable;
  }

  _watchDmnView(onChange) {
    const viewer = this.modeler.getActiveViewer();
    if (viewer && !viewer.__crmWatched) {
      viewer.__crmWatched = true;
      viewer.on('commandStack.changed', onChange);
    }
  }

  fit() {
    if (this.kind !== 'bpmn') return;
    window.crmFitDiagram(this.modeler);  // web/static/js/diagram_fit.js
  }

  async xml() {
    if (this.unreadable.length) return this.original;
    const { xml } = await this.modeler.saveXML({ format: true });
    return xml;
  }

  mark(problems) {
    if (this.kind !== 'bpmn') return;
    const registry = this.modeler.get('elementRegistry');
    const canvas = this.modeler.get('canvas');
    const overlays = this.modeler.get('overlays');
    overlays.remove({ type: 'crm-problem' });
    registry.forEach((element) => {
      canvas.removeMarker(element, 'crm-problem-error');
      canvas.removeMarker(element, 'crm-problem-warning');
    });
    const byElement = new Map();
    problems.forEach((p) => {
      const id = this.shapeId(p.element);
      if (!id) return;
      if (!byElement.has(id)) byElement.set(id, []);
      byElement.get(id).push(p);
    });
    this.modeler.get('eventBus').fire('crm.problems', { problems: byElement });  // the panel lists them too
    byElement.forEach((list, id) => {
      const severity = list.some((p) => p.severity === 'error') ? 'error' : 'warning';
      canvas.addMarker(id, `crm-problem-${severity}`);
      const badge = el('span', `crm-problem-badge crm-problem-badge-${severity}`, String(list.length));
      badge.title = list.map((p) => p.message).join('\n');
      badge.dataset.elementId = id;
      overlays.add(id, 'crm-problem', { position: { top: -10, right: 10 }, html: badge });
    });
  }

  /** The drawn element a problem's element id stands for: itself, or the pool of a process. */
  shapeId(elementId) {
    if (!elementId) return null;
    const registry = this.modeler.get('elementRegistry');
    if (registry.get(elementId)) return elementId;
    const pool = registry.find((e) => e.type === 'bpmn:Participant'
      && e.businessObject.processRef && e.businessObject.processRef.id === elementId);
    return pool ? pool.id : null;
  }

  select(elementId) {
    if (this.kind !== 'bpmn') return false;
    const element = this.modeler.get('elementRegistry').get(this.shapeId(elementId));
    if (!element) return false;
    this.modeler.get('selection').select(element);
    this.modeler.get('canvas').scrollToElement(element);
    return true;
  }
}

/** Toolbar, tabs, problems list and the calls to the server. */
class ModelerPage {
  constructor(root, data) {
    this.root = root;
    this.data = data;
    this.baseVersion = data.baseVersion;
    this.revision = data.revision;
    this.editors = [];
    this.dirty = false;
    this.status = root.querySelector('#crm-status');
    this.problemsBox = root.querySelector('#crm-problems');
    this.token = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  }

  async start() {
    const tabs = this.root.querySelector('#crm-file-tabs');
    const panes = this.root.querySelector('#crm-editors');
    const names = [this.data.main, ...Object.keys(this.data.files).filter((n) => n !== this.data.main).sort()];
    for (const name of names) {
      const pane = panes.appendChild(el('div', 'crm-editor-pane'));
      const editor = new Editor(name, this.data.files[name], pane, this.data.catalog, () => this.changed());
      this.editors.push(editor);
      const tab = el('button', 'nav-link', name);
      tab.type = 'button';
      tab.dataset.file = name;
      tab.addEventListener('click', () => this.show(editor));
      tabs.appendChild(el('li', 'nav-item')).appendChild(tab);
    }
    this.show(this.editors[0]);
    const notes = [];
    for (const editor of this.editors) {
      try {
        const unreadable = await editor.open();
        if (unreadable.length) {
          notes.push(_('%(file)s: the modeler cannot read part of this file (%(problem)s); it is kept exactly as '
            + 'it is and edits to it are not saved. Change it in a file and upload it.',
          { file: editor.name, problem: unreadable[0] }));
        }
      } catch (err) {
        const message = String(err.message || err);
        notes.push(/no diagram to display/i.test(message)
          ? _('%(file)s: the file has no diagram layout (BPMN DI), so it cannot be drawn here. It is kept exactly '
            + 'as it is; change it in a file and upload it.', { file: editor.name })
          : `${editor.name}: ${message}`);
        editor.unreadable = [message];
      }
    }
    this.show(this.editors[0]);
    this.problemsBox.replaceChildren();
    notes.forEach((note) => this.problemsBox.appendChild(el('div', 'alert alert-warning py-2 mb-2', note)));
    this.root.querySelector('#crm-save').addEventListener('click', () => this.save());
    this.root.querySelector('#crm-validate').addEventListener('click', () => this.validate());
    this.root.querySelector('#crm-deploy').addEventListener('click', () => this.deploy());
    window.addEventListener('beforeunload', (event) => {
      if (this.dirty) event.preventDefault();
    });
    document.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 's') {
        event.preventDefault();
        this.save();
      }
    });
    this.say(_('Ready. Save keeps a draft; Deploy makes a new version.'));
    this.root.classList.add('crm-modeler-ready');
  }

  show(editor) {
    this.current = editor;
    this.editors.forEach((e) => e.pane.classList.toggle('d-none', e !== editor));
    this.root.querySelectorAll('#crm-file-tabs .nav-link').forEach((tab) => {
      tab.classList.toggle('active', tab.dataset.file === editor.name);
    });
    if (editor.kind === 'bpmn') {
      try { editor.fit(); } catch (e) { /* not imported yet */ }
    }
  }

  changed() {
    this.dirty = true;
    this.say(_('Unsaved changes.'), 'secondary');
  }

  say(message, tone) {
    this.status.className = `small text-${tone || 'body-secondary'}`;
    this.status.textContent = message;
  }

  async files() {
    const files = {};
    for (const editor of this.editors) files[editor.name] = await editor.xml();
    return files;
  }

  async post(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': this.token },
      body: JSON.stringify(body)
    });
    let payload;
    try {
      payload = await response.json();
    } catch (e) {
      payload = { ok: false, errors: [{ severity: 'error',
        message: _('The server answered %(status)s.', { status: response.status }) }] };
    }
    return { status: response.status, payload };
  }

  async save() {
    this.say(_('Saving the draft…'));
    const { status, payload } = await this.post(this.data.urls.save,
      { files: await this.files(), baseVersion: this.baseVersion, revision: this.revision });
    if (status !== 200) {
      this.report(payload);
      this.say(_('The draft was not saved.'), 'danger');
      return false;
    }
    this.revision = payload.revision;
    this.dirty = false;
    this.say(_('Draft saved by %(user)s.', { user: payload.savedBy }), 'success');
    return true;
  }

  async validate() {
    this.say(_('Validating…'));
    const { payload } = await this.post(this.data.urls.validate, { files: await this.files() });
    this.report(payload);
    const errors = (payload.errors || []).length;
    this.say(errors ? _('%(n)s problem(s) must be fixed before deploying.', { n: errors })
      : _('No errors: this draft can be deployed.'), errors ? 'danger' : 'success');
    return !errors;
  }

  async deploy(force) {
    if (!(await this.save())) return;
    this.say(_('Deploying…'));
    const comment = this.root.querySelector('#crm-comment').value;
    const { status, payload } = await this.post(this.data.urls.deploy,
      { files: await this.files(), comment, baseVersion: this.baseVersion, force: force === true });
    if (status === 409 && payload.conflict) {
      this.say(_('Not deployed: %(reason)s', { reason: payload.errors[0].message }), 'danger');
      if (window.confirm(_('%(reason)s Deploy this draft anyway?', { reason: payload.errors[0].message }))) {
        this.deploy(true);
      }
      return;
    }
    this.report(payload);
    if (status !== 200) {
      this.say(_('Deployment refused: %(n)s problem(s). Nothing was changed.', { n: (payload.errors || []).length }),
        'danger');
      return;
    }
    const created = payload.versions.filter((v) => v.created);
    const own = payload.versions.find((v) => v.key === this.data.key);
    if (own) this.baseVersion = own.version;
    this.revision = null; // the deployed draft is gone
    this.dirty = false;
    this.say(created.length
      ? _('Deployed: %(versions)s.', { versions: created.map((v) => `${v.name} v${v.version}`).join(', ') })
      : _('Nothing changed: the deployed version is identical.'), 'success');
  }

  report(payload) {
    const problems = [...(payload.errors || []), ...(payload.warnings || [])];
    this.editors.forEach((editor) => editor.mark(problems.filter((p) => !p.file || p.file === editor.name)));
    this.problemsBox.replaceChildren();
    if (!problems.length) return;
    const list = this.problemsBox.appendChild(el('ul', 'list-group crm-problem-list'));
    problems.forEach((problem) => {
      const item = list.appendChild(el('li', `list-group-item crm-problem crm-problem-${problem.severity}`));
      item.dataset.element = problem.element || '';
      const badge = problem.severity === 'error' ? 'text-bg-danger' : 'text-bg-warning';
      item.appendChild(el('span', `badge ${badge} me-2`, problem.severity === 'error' ? _('Error') : _('Warning')));
      const where = [problem.file, problem.line ? _('line %(n)s', { n: problem.line }) : ''].filter(Boolean).join(', ');
      if (where) item.appendChild(el('span', 'text-body-secondary small me-2', where));
      if (problem.element) {
        const link = item.appendChild(el('button', 'btn btn-link btn-sm p-0 me-2 align-baseline', problem.element));
        link.type = 'button';
        link.addEventListener('click', () => {
          const editor = this.editors.find((e) => e.name === problem.file) || this.current;
          this.show(editor);
          editor.select(problem.element);
        });
      }
      item.appendChild(el('span', null, problem.message));
    });
  }
}

function boot() {
  const root = document.getElementById('crm-modeler');
  const data = document.getElementById('crm-modeler-data');
  if (!root || !data) return;
  const page = new ModelerPage(root, JSON.parse(data.textContent));
  window.crmModelerPage = page;
  page.start();
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', boot);
} else {
  boot();
}

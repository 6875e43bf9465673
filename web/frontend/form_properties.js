/*
 * What a process owner sets on a user task (and a start event's form), in the business's words:
 * the form's fields with the platform's types and the constraints each type supports, the cross-field rules,
 * the record shown beside the form, and who does the task by when.
 *
 * Stored as Camunda extensions the platform reads (docs/CONVENTIONS.md): ``camunda:formData`` fields with
 * ``camunda:validation`` constraints, ``camunda:value`` options and ``camunda:properties`` (reference, help);
 * ``camunda:property name="rule"`` (``expression | message [| override: role]``) and ``name="context"``;
 * ``camunda:assignee``, ``camunda:dueDate``, ``camunda:priority``. Those terms appear only as tooltips.
 */
import {
  CheckboxEntry, Group, ListGroup, SelectEntry, TextAreaEntry, TextFieldEntry,
  isCheckboxEntryEdited, isSelectEntryEdited, isTextAreaEntryEdited, isTextFieldEntryEdited
} from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

import { _, term } from './i18n.js';
import {
  addExtension, camundaProperties, command, create, ensureProperties, extension, propertyKey, propertyValue, runAll,
  setProperty, update
} from './moddle_edit.js';

const BOUNDED = ['integer', 'decimal', 'date', 'datetime'];
const TEXTUAL = ['string', 'text'];
const CHOICES = ['enum', 'multi_enum'];
const CONSTRAINTS_OF = {
  required: () => true,
  readonly: () => true,
  min: (type) => BOUNDED.includes(type),
  max: (type) => BOUNDED.includes(type),
  minlength: (type) => TEXTUAL.includes(type),
  maxlength: (type) => TEXTUAL.includes(type),
  pattern: (type) => TEXTUAL.includes(type)
};
const RULE_TRANSLATION = /^(i18n:[^:]+:rule:)(\d+)$/;

export function hasForm(element) {
  return is(element, 'bpmn:UserTask')
    || (is(element, 'bpmn:StartEvent') && (is(element.parent, 'bpmn:Process') || is(element.parent, 'bpmn:Participant')));
}

/** The process an element's ``context`` is declared on: the process itself or a pool's process. */
function processOf(element) {
  const businessObject = getBusinessObject(element);
  if (is(businessObject, 'bpmn:Process')) return businessObject;
  if (is(businessObject, 'bpmn:Participant')) return businessObject.get('processRef');
  return null;
}

// -- the groups ----------------------------------------------------------------------------------

/** "Form": one item per field; adding the first field creates the form. */
export function formGroup(element, injector, catalog) {
  if (!hasForm(element)) return null;
  const commandStack = injector.get('commandStack');
  const bpmnFactory = injector.get('bpmnFactory');
  const formData = extension(element, 'camunda:FormData');
  const fields = formData ? formData.get('fields') : [];
  const typeLabel = (type) => (catalog.fieldTypes.find((t) => t.key === type) || { label: type }).label;
  return {
    id: 'crm-form-fields',
    label: term(_('Form'), 'camunda:formData'),
    component: ListGroup,
    items: fields.map((field, index) => ({
      id: `crm-field-${index}`,
      label: `${field.get('label') || field.get('id') || ''} · ${typeLabel(field.get('type') || 'string')}`,
      entries: fieldEntries(field, index, catalog),
      autoFocusEntry: `crm-field-${index}-label`,
      remove: (event) => {
        event.stopPropagation();
        const rest = fields.filter((f) => f !== field);
        if (!rest.length && is(element, 'bpmn:StartEvent')) {
          const extensionElements = getBusinessObject(element).get('extensionElements');
          update(commandStack, element, extensionElements,
            { values: extensionElements.get('values').filter((v) => v !== formData) });
        } else {
          update(commandStack, element, formData, { fields: rest });
        }
      }
    })),
    add: (event) => {
      event.stopPropagation();
      const commands = [];
      let target = formData;
      if (!target) {
        target = create(bpmnFactory, 'camunda:FormData', { fields: [] });
        commands.push(...addExtension(element, target, bpmnFactory));
      }
      const taken = new Set(target.get('fields').map((f) => f.get('id')));
      let n = target.get('fields').length + 1;
      while (taken.has(`field_${n}`)) n += 1;
      const field = create(bpmnFactory, 'camunda:FormField', { id: `field_${n}`, label: '', type: 'string' }, target);
      commands.push(command(element, target, { fields: [...target.get('fields'), field] }));
      runAll(commandStack, commands);
    }
  };
}

function fieldEntries(field, index, catalog) {
  const type = field.get('type') || 'string';
  const id = (suffix) => `crm-field-${index}-${suffix}`;
  const entries = [
    { id: id('label'), component: FieldAttribute, field, attribute: 'label', isEdited: isTextFieldEntryEdited,
      label: term(_('Label'), 'camunda:formField label') },
    { id: id('id'), component: FieldAttribute, field, attribute: 'id', isEdited: isTextFieldEntryEdited,
      label: term(_('Name in the data'), 'camunda:formField id'),
      description: _('Letters, digits and _ (not first). Rules, conditions and later steps use this name.') },
    { id: id('type'), component: FieldType, field, types: catalog.fieldTypes, isEdited: isSelectEntryEdited }
  ];
  if (type === 'reference') {
    entries.push({ id: id('reference'), component: ReferenceKind, field, kinds: catalog.referenceKinds,
      isEdited: isSelectEntryEdited });
  }
  entries.push({ id: id('required'), component: FieldFlag, field, constraint: 'required',
    label: term(_('Required'), 'camunda:constraint required'), isEdited: isCheckboxEntryEdited });
  if (BOUNDED.includes(type)) {
    const hint = {
      integer: _('A whole number, e.g. 8'),
      decimal: _('A number, e.g. 50000 or 1.5'),
      date: _('A date as YYYY-MM-DD, e.g. 2027-01-31'),
      datetime: _('Date and time as YYYY-MM-DD HH:MM in the site\'s time zone')
    }[type];
    entries.push(
      { id: id('min'), component: FieldConstraint, field, constraint: 'min', description: hint,
        label: term(_('Minimum'), 'camunda:constraint min'), isEdited: isTextFieldEntryEdited },
      { id: id('max'), component: FieldConstraint, field, constraint: 'max', description: hint,
        label: term(_('Maximum'), 'camunda:constraint max'), isEdited: isTextFieldEntryEdited });
  }
  if (TEXTUAL.includes(type)) {
    entries.push(
      { id: id('minlength'), component: FieldConstraint, field, constraint: 'minlength',
        label: term(_('Minimum length (characters)'), 'camunda:constraint minlength'), isEdited: isTextFieldEntryEdited },
      { id: id('maxlength'), component: FieldConstraint, field, constraint: 'maxlength',
        label: term(_('Maximum length (characters)'), 'camunda:constraint maxlength'), isEdited: isTextFieldEntryEdited },
      { id: id('pattern'), component: FieldConstraint, field, constraint: 'pattern',
        label: term(_('Pattern'), 'camunda:constraint pattern (regular expression)'), isEdited: isTextFieldEntryEdited,
        description: _('A regular expression the text must match, e.g. [0-9]{11} for a mobile number') });
  }
  if (CHOICES.includes(type)) {
    entries.push({ id: id('options'), component: FieldOptions, field, isEdited: isTextAreaEntryEdited });
  }
  if (type !== 'file') {
    entries.push({ id: id('default'), component: FieldAttribute, field, attribute: 'defaultValue',
      label: term(_('Default value'), 'camunda:formField defaultValue'), isEdited: isTextFieldEntryEdited,
      description: _('A value, or ${name} to take it from the process data') });
  }
  entries.push(
    { id: id('help'), component: FieldHelp, field, isEdited: isTextFieldEntryEdited },
    { id: id('readonly'), component: FieldFlag, field, constraint: 'readonly',
      label: term(_('Read-only (shown, not changed)'), 'camunda:constraint readonly'), isEdited: isCheckboxEntryEdited });
  return entries;
}

/** "Rules": cross-field rules checked when the form is submitted. */
export function rulesGroup(element, injector, catalog) {
  if (!is(element, 'bpmn:UserTask')) return null;
  const commandStack = injector.get('commandStack');
  const bpmnFactory = injector.get('bpmnFactory');
  const businessObject = getBusinessObject(element);
  const properties = camundaProperties(businessObject);
  const rules = properties ? properties.get('values').filter((p) => propertyKey(p) === 'rule') : [];
  return {
    id: 'crm-rules',
    label: term(_('Rules'), 'camunda:property rule'),
    component: ListGroup,
    items: rules.map((rule, index) => {
      const parsed = parseRule(rule.get('value'));
      return {
        id: `crm-rule-${index}`,
        label: parsed.message || parsed.expression || _('New rule'),
        autoFocusEntry: `crm-rule-${index}-expression`,
        entries: [
          { id: `crm-rule-${index}-expression`, component: RulePart, rule, part: 'expression',
            isEdited: isTextFieldEntryEdited, label: term(_('Must hold'), 'rule expression (Python)'),
            description: _('A condition over the form and the process data, e.g. advance_amount <= approved_budget '
              + 'or visit_date >= today()') },
          { id: `crm-rule-${index}-message`, component: RulePart, rule, part: 'message',
            isEdited: isTextFieldEntryEdited, label: term(_('Message when it does not hold'), 'rule message') },
          { id: `crm-rule-${index}-override`, component: RuleOverride, rule, roles: catalog.roles,
            isEdited: isSelectEntryEdited }
        ],
        remove: (event) => {
          event.stopPropagation();
          removeRule(commandStack, element, properties, rule, rules.indexOf(rule) + 1);
        }
      };
    }),
    add: (event) => {
      event.stopPropagation();
      const [target, commands] = ensureProperties(bpmnFactory, element, businessObject);
      const created = create(bpmnFactory, 'camunda:Property', { name: 'rule', value: '' }, target);
      commands.push(command(element, target, { values: [...target.get('values'), created] }));
      runAll(commandStack, commands);
    }
  };
}

/** Remove rule ``number`` (1-based) and renumber the translations of the rules after it. */
function removeRule(commandStack, element, properties, rule, number) {
  const commands = [];
  const kept = [];
  properties.get('values').forEach((property) => {
    const match = RULE_TRANSLATION.exec(propertyKey(property) || '');
    const position = match ? Number(match[2]) : 0;
    if (property === rule || position === number) return;
    kept.push(property);
    if (position > number) commands.push(command(element, property, { name: `${match[1]}${position - 1}` }));
  });
  commands.push(command(element, properties, { values: kept }));
  runAll(commandStack, commands);
}

export function parseRule(text) {
  const parts = (text || '').split('|').map((part) => part.trim());
  const override = (parts[2] || '').replace(/^override\s*:/, '').trim();
  return { expression: parts[0] || '', message: parts[1] || '', override };
}

export function formatRule({ expression, message, override }) {
  const clean = (text) => (text || '').replace(/\|/g, '/').trim();
  return [clean(expression), clean(message), override ? `override: ${override}` : '']
    .filter((part, index) => index < 2 || part).join(' | ');
}

/** "Record shown beside the form": the task's (or the whole process's) context kind. */
export function contextGroup(element, injector, catalog) {
  const process = processOf(element);
  if (!is(element, 'bpmn:UserTask') && !process) return null;
  return {
    id: 'crm-context',
    label: term(_('Record shown beside the form'), 'camunda:property context'),
    component: Group,
    entries: [{ id: 'crm-context-kind', component: ContextKind, holder: process || getBusinessObject(element),
      kinds: catalog.contexts, isEdited: isSelectEntryEdited }]
  };
}

/** "Assignee, due in and priority" of a user task. */
export function assignmentGroup(element) {
  if (!is(element, 'bpmn:UserTask')) return null;
  return {
    id: 'crm-assignment',
    label: term(_('Assignee, due in and priority'), 'camunda:assignee, camunda:dueDate, camunda:priority'),
    component: Group,
    entries: [
      { id: 'crm-assignee', component: TaskAttribute, attribute: 'camunda:assignee', isEdited: isTextFieldEntryEdited,
        label: term(_('Assignee'), 'camunda:assignee'),
        description: _('Empty: everyone holding the lane\'s approver role. A user name, or ${field} naming '
          + 'a user picked in an earlier form.') },
      { id: 'crm-due', component: DueIn, isEdited: isTextFieldEntryEdited },
      { id: 'crm-priority', component: TaskAttribute, attribute: 'camunda:priority', isEdited: isTextFieldEntryEdited,
        label: term(_('Priority'), 'camunda:priority'),
        description: _('A whole number: higher comes first in the worklist; 50 when empty.') }
    ]
  };
}

// -- entries -------------------------------------------------------------------------------------

function FieldAttribute(props) {
  const { element, id, field, attribute, label, description } = props;
  const commandStack = useService('commandStack');
  const debounce = useService('debounceInput');
  return TextFieldEntry({
    element, id, label, description, debounce,
    getValue: () => field.get(attribute) || '',
    setValue: (value) => update(commandStack, element, field, { [attribute]: value || undefined })
  });
}

function FieldType(props) {
  const { element, id, field, types } = props;
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  const current = field.get('type') || 'string';
  const options = types.map((type) => ({ value: type.key, label: type.label }));
  if (!types.some((type) => type.key === current)) {
    options.unshift({ value: current, label: _('%(type)s (not a type of this platform)', { type: current }) });
  }
  return SelectEntry({
    element, id, label: term(_('Type'), 'camunda:formField type'),
    getValue: () => current,
    setValue: (value) => runAll(commandStack, changeType(element, field, value, bpmnFactory)),
    getOptions: () => options
  });
}

/** Commands that change a field's type and drop what the new type does not support (constraints, options,
 * record kind), so that the form stays deployable. */
function changeType(element, field, type, bpmnFactory) {
  const commands = [command(element, field, { type })];
  const validation = field.get('validation');
  if (validation) {
    const constraints = validation.get('constraints');
    const kept = constraints.filter((c) => (CONSTRAINTS_OF[c.get('name')] || (() => true))(type));
    if (kept.length !== constraints.length) commands.push(command(element, validation, { constraints: kept }));
  }
  if (!CHOICES.includes(type) && field.get('values').length) commands.push(command(element, field, { values: [] }));
  const properties = field.get('properties');
  const reference = properties && properties.get('values').find((p) => propertyKey(p) === 'reference');
  if (type !== 'reference' && reference) {
    commands.push(command(element, properties, { values: properties.get('values').filter((p) => p !== reference) }));
  } else if (type === 'reference' && !reference) {
    const [target, more] = ensureProperties(bpmnFactory, element, field);
    commands.push(...more);
    const created = create(bpmnFactory, 'camunda:Property', { id: 'reference', value: 'customer' }, target);
    commands.push(command(element, target, { values: [...target.get('values'), created] }));
  }
  if (type === 'file' && field.get('defaultValue')) commands.push(command(element, field, { defaultValue: undefined }));
  return commands;
}

function ReferenceKind(props) {
  const { element, id, field, kinds } = props;
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  return SelectEntry({
    element, id, label: term(_('Record kind'), 'camunda:property reference'),
    description: _('The user picks one of the records they may see.'),
    getValue: () => propertyValue(field, 'reference'),
    setValue: (value) => setProperty(commandStack, bpmnFactory, element, field, 'id', 'reference', value),
    getOptions: () => kinds.map((kind) => ({ value: kind.key, label: kind.label }))
  });
}

function constraintOf(field, name) {
  const validation = field.get('validation');
  return validation && validation.get('constraints').find((c) => c.get('name') === name);
}

/** Commands setting (or with an empty ``config`` removing) one constraint of a field. */
function setConstraint(element, field, name, config, bpmnFactory) {
  const commands = [];
  let validation = field.get('validation');
  const existing = constraintOf(field, name);
  if (existing && config) return [command(element, existing, { config })];
  if (existing) {
    return [command(element, validation, { constraints: validation.get('constraints').filter((c) => c !== existing) })];
  }
  if (!config) return [];
  if (!validation) {
    validation = create(bpmnFactory, 'camunda:Validation', { constraints: [] }, field);
    commands.push(command(element, field, { validation }));
  }
  const created = create(bpmnFactory, 'camunda:Constraint', { name, config }, validation);
  commands.push(command(element, validation, { constraints: [...validation.get('constraints'), created] }));
  return commands;
}

function FieldConstraint(props) {
  const { element, id, field, constraint, label, description } = props;
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  return TextFieldEntry({
    element, id, label, description, debounce,
    getValue: () => { const found = constraintOf(field, constraint); return (found && found.get('config')) || ''; },
    setValue: (value) => runAll(commandStack, setConstraint(element, field, constraint, (value || '').trim(), bpmnFactory))
  });
}

function FieldFlag(props) {
  const { element, id, field, constraint, label } = props;
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  return CheckboxEntry({
    element, id, label,
    getValue: () => { const found = constraintOf(field, constraint); return Boolean(found) && found.get('config') !== 'false'; },
    setValue: (value) => runAll(commandStack, setConstraint(element, field, constraint, value ? 'true' : '', bpmnFactory))
  });
}

function FieldHelp(props) {
  const { element, id, field } = props;
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  return TextFieldEntry({
    element, id, debounce, label: term(_('Help text'), 'camunda:property help'),
    getValue: () => propertyValue(field, 'help'),
    setValue: (value) => setProperty(commandStack, bpmnFactory, element, field, 'id', 'help', (value || '').trim())
  });
}

/** Options as lines ``key = label`` (a line without ``=`` is its own key and label). */
function FieldOptions(props) {
  const { element, id, field } = props;
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  return TextAreaEntry({
    element, id, debounce, rows: 4, label: term(_('Options'), 'camunda:value id / name'),
    description: _('One per line: key = label, e.g. approved = Approved. Rules and conditions compare the key.'),
    getValue: () => field.get('values').map((v) => `${v.get('id')} = ${v.get('name') || v.get('id')}`).join('\n'),
    setValue: (value) => {
      const values = (value || '').split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
        const [key, ...label] = line.split('=');
        const name = label.join('=').trim() || key.trim();
        return create(bpmnFactory, 'camunda:Value', { id: key.trim(), name }, field);
      });
      update(commandStack, element, field, { values });
    }
  });
}

function RulePart(props) {
  const { element, id, rule, part, label, description } = props;
  const commandStack = useService('commandStack');
  const debounce = useService('debounceInput');
  return TextFieldEntry({
    element, id, label, description, debounce,
    getValue: () => parseRule(rule.get('value'))[part],
    setValue: (value) => update(commandStack, element, rule,
      { value: formatRule({ ...parseRule(rule.get('value')), [part]: value || '' }) })
  });
}

function RuleOverride(props) {
  const { element, id, rule, roles } = props;
  const commandStack = useService('commandStack');
  const current = parseRule(rule.get('value')).override;
  const options = roles.map((role) => ({ value: role.key, label: role.label }));
  if (current && !roles.some((role) => role.key === current)) {
    options.unshift({ value: current, label: _('%(role)s (not a known role)', { role: current }) });
  }
  return SelectEntry({
    element, id, label: term(_('May be overridden with a reason by'), 'override: role'),
    getValue: () => current,
    setValue: (value) => update(commandStack, element, rule,
      { value: formatRule({ ...parseRule(rule.get('value')), override: value }) }),
    getOptions: () => [{ value: '', label: _('Nobody') }, ...options]
  });
}

function ContextKind(props) {
  const { element, id, holder, kinds } = props;
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  const current = propertyValue(holder, 'context');
  const inherited = is(holder, 'bpmn:Process') ? '' : processContext(element);
  const options = kinds.map((kind) => ({ value: kind.key, label: kind.label }));
  if (current && !kinds.some((kind) => kind.key === current)) {
    options.unshift({ value: current, label: _('%(kind)s (not a record kind)', { kind: current }) });
  }
  const none = inherited
    ? _('As the process: %(kind)s', { kind: (kinds.find((k) => k.key === inherited) || { label: inherited }).label })
    : _('None');
  return SelectEntry({
    element, id, label: _('Record'),
    description: is(holder, 'bpmn:Process')
      ? _('Shown read-only beside the form of every task of this process that names none of its own.')
      : _('Shown read-only beside the form: its key facts, amounts, lines and links.'),
    getValue: () => current,
    setValue: (value) => setProperty(commandStack, bpmnFactory, element, holder, 'name', 'context', value),
    getOptions: () => [{ value: '', label: none }, ...options]
  });
}

function processContext(element) {
  let parent = getBusinessObject(element).$parent;
  while (parent && !is(parent, 'bpmn:Process')) parent = parent.$parent;
  return parent ? propertyValue(parent, 'context') : '';
}

function TaskAttribute(props) {
  const { element, id, attribute, label, description } = props;
  const modeling = useService('modeling');
  const debounce = useService('debounceInput');
  return TextFieldEntry({
    element, id, label, description, debounce,
    getValue: () => getBusinessObject(element).get(attribute) || '',
    setValue: (value) => modeling.updateProperties(element, { [attribute]: (value || '').trim() || undefined })
  });
}

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/;

/** ``P2DT4H`` in words ("2 days 4 hours"); '' for anything else (an expression). */
export function durationInWords(text) {
  const match = DURATION.exec((text || '').trim());
  if (!match || !match.slice(1).some(Boolean)) return '';
  const [weeks, days, hours, minutes] = match.slice(1).map((n) => Number(n || 0));
  return [
    weeks && (weeks === 1 ? _('1 week') : _('%(n)s weeks', { n: weeks })),
    days && (days === 1 ? _('1 day') : _('%(n)s days', { n: days })),
    hours && (hours === 1 ? _('1 hour') : _('%(n)s hours', { n: hours })),
    minutes && (minutes === 1 ? _('1 minute') : _('%(n)s minutes', { n: minutes }))
  ].filter(Boolean).join(' ');
}

function DueIn(props) {
  const { element, id } = props;
  const modeling = useService('modeling');
  const debounce = useService('debounceInput');
  const value = getBusinessObject(element).get('camunda:dueDate') || '';
  const words = durationInWords(value);
  return TextFieldEntry({
    element, id, debounce, label: term(_('Due in'), 'camunda:dueDate (ISO-8601 duration)'),
    description: (words ? _('Due %(time)s after the task is created.', { time: words }) + ' ' : '')
      + _('P2D = 2 days, PT4H = 4 hours, P1DT12H = 1½ days; or ${...} over the task data.'),
    getValue: () => value,
    setValue: (text) => modeling.updateProperties(element, { 'camunda:dueDate': (text || '').trim() || undefined })
  });
}

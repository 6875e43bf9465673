/*
 * Properties panel for what this platform executes.
 *
 * Keeps the standard groups that apply (general, documentation, timer, multi-instance, messages, errors);
 * drops Camunda groups the platform does not run (listeners, input/output, Java delegates, async flags,
 * Camunda's own form and assignment groups, ...). Adds platform groups in the business's words: the lane's
 * approver role, the task's form, rules, record and assignment (form_properties.js), gateway conditions and
 * default flows, Python scripts, service operations with parameters (spiffworkflow:serviceTaskOperator),
 * called processes and decisions, and the translations of the element's labels (``i18n:<language>``
 * properties, see docs/CONVENTIONS.md "Labels in two languages"). Camunda/BPMN terms show only as tooltips.
 */
import {
  CheckboxEntry, Group, ListGroup, SelectEntry, TextAreaEntry, TextFieldEntry,
  isCheckboxEntryEdited, isSelectEntryEdited, isTextAreaEntryEdited, isTextFieldEntryEdited
} from '@bpmn-io/properties-panel';
import { jsx } from '@bpmn-io/properties-panel/preact/jsx-runtime';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is, isAny } from 'bpmn-js/lib/util/ModelUtil';

import { assignmentGroup, contextGroup, formGroup, rulesGroup } from './form_properties.js';
import { _, term } from './i18n.js';
import {
  addExtension, camundaProperties, command, create, extension, propertyKey, propertyValue, setProperty,
  update
} from './moddle_edit.js';

const KEEP_GROUPS = new Set(['general', 'documentation', 'timer', 'multiInstance', 'message', 'error', 'link']);
const DROP_ENTRIES = new Set([
  'versionTag', 'candidateGroups', 'candidateUsers', 'followUpDate', 'collection', 'elementVariable',
  'multiInstanceAsynchronousBefore', 'multiInstanceAsynchronousAfter', 'multiInstanceExclusive',
  'multiInstanceRetryTimeCycle'
]);
const PARAMETER_TYPES = ['any', 'str', 'int', 'float', 'bool', 'dict', 'list'];

export default class PlatformPropertiesProvider {
  constructor(propertiesPanel, injector, config, eventBus) {
    propertiesPanel.registerProvider(100, this);
    this._injector = injector;
    this._problems = new Map();
    eventBus.on('crm.problems', ({ problems }) => {
      this._problems = problems;
      eventBus.fire('propertiesPanel.providersChanged');
    });
    this._catalog = {
      roles: [], operations: [], languages: [], fieldTypes: [], referenceKinds: [], contexts: [],
      ...config.crmCatalog
    };
  }

  getGroups(element) {
    return (groups) => {
      groups = groups.filter((group) => KEEP_GROUPS.has(group.id));
      groups.forEach((group) => {
        if (group.entries) group.entries = group.entries.filter((entry) => !DROP_ENTRIES.has(entry.id));
        if (group.id === 'timer') {
          group.entries = group.entries.map((entry) => entry.id === 'timerEventDefinitionValue'
            ? { ...entry, component: PythonTimerValue } : entry);
        }
      });
      groups = groups.filter((group) => !group.entries || group.entries.length);
      const problems = this._problems.get(element.id) || [];
      const extra = [
        this._group(element, 'crm-role', term(_('Approver role'), 'lane: camunda:property role'),
          is(element, 'bpmn:Lane') && [
            { id: 'crm-lane-role', component: LaneRole, roles: this._catalog.roles, isEdited: isSelectEntryEdited }
          ]),
        formGroup(element, this._injector, this._catalog),
        rulesGroup(element, this._injector, this._catalog),
        contextGroup(element, this._injector, this._catalog),
        assignmentGroup(element),
        this._group(element, 'crm-translations', term(_('Translations'), 'camunda:property i18n:<language>'),
          translationEntries(element, this._catalog.languages)),
        this._group(element, 'crm-condition', term(_('Condition'), 'bpmn:conditionExpression'), isConditional(element) && [
          { id: 'crm-condition-expression', component: Condition, isEdited: isTextFieldEntryEdited },
          { id: 'crm-default-flow', component: DefaultFlow, isEdited: isCheckboxEntryEdited }
        ]),
        this._group(element, 'crm-script', term(_('Script (Python)'), 'bpmn:script'), is(element, 'bpmn:ScriptTask') && [
          { id: 'crm-script', component: Script, isEdited: isTextAreaEntryEdited }
        ]),
        this._group(element, 'crm-service', term(_('Service operation'), 'spiffworkflow:serviceTaskOperator'), is(element, 'bpmn:ServiceTask') && [
          { id: 'crm-operation', component: Operation, operations: this._catalog.operations,
            isEdited: isSelectEntryEdited },
          getOperator(element) && { id: 'crm-result-variable', component: ResultVariable,
            isEdited: isTextFieldEntryEdited }
        ].filter(Boolean)),
        is(element, 'bpmn:ServiceTask') && getOperator(element) ? this._parameters(element) : null,
        this._group(element, 'crm-called', term(_('Called process'), 'bpmn:callActivity calledElement'), is(element, 'bpmn:CallActivity') && [
          { id: 'crm-called-element', component: CalledElement, isEdited: isTextFieldEntryEdited }
        ]),
        this._group(element, 'crm-decision', term(_('Decision table'), 'spiffworkflow:calledDecisionId (DMN)'), is(element, 'bpmn:BusinessRuleTask') && [
          { id: 'crm-decision-id', component: DecisionId, isEdited: isTextFieldEntryEdited }
        ])
      ];
      const position = groups.findIndex((group) => group.id === 'documentation');
      groups.splice(position < 0 ? 1 : position, 0, ...extra.filter(Boolean));
      if (problems.length) {
        groups.unshift({
          id: 'crm-problems', label: _('Problems'), component: Group, shouldOpen: true,
          entries: problems.map((problem, index) => ({ id: `crm-problem-${index}`, component: Problem, problem }))
        });
      }
      return groups;
    };
  }

  _group(element, id, label, entries) {
    return entries ? { id, label, entries, component: Group } : null;
  }

  _parameters(element) {
    const commandStack = this._injector.get('commandStack');
    const bpmnFactory = this._injector.get('bpmnFactory');
    const operator = getOperator(element);
    const list = operator.get('parameterList');
    const parameters = list ? list.get('parameters') : [];
    return {
      id: 'crm-parameters',
      label: term(_('Parameters'), 'spiffworkflow:parameters'),
      component: ListGroup,
      items: parameters.map((parameter, index) => {
        const id = `${element.id}-parameter-${index}`;
        return {
          id,
          label: parameter.get('id') || '',
          entries: [
            { id: `${id}-name`, component: ParameterField, parameter, field: 'id', label: _('Name'),
              isEdited: isTextFieldEntryEdited },
            { id: `${id}-value`, component: ParameterField, parameter, field: 'value',
              label: _('Value (Python expression over task data)'), isEdited: isTextFieldEntryEdited },
            { id: `${id}-type`, component: ParameterType, parameter, isEdited: isSelectEntryEdited }
          ],
          autoFocusEntry: `${id}-name`,
          remove: (event) => {
            event.stopPropagation();
            update(commandStack, element, list, { parameters: parameters.filter((p) => p !== parameter) });
          }
        };
      }),
      add: (event) => {
        event.stopPropagation();
        const commands = [];
        let target = list;
        if (!target) {
          target = create(bpmnFactory, 'spiffworkflow:Parameters', { parameters: [] }, operator);
          commands.push(command(element, operator, { parameterList: target }));
        }
        const parameter = create(bpmnFactory, 'spiffworkflow:Parameter',
          { id: `param_${parameters.length + 1}`, type: 'any', value: '' }, target);
        commands.push(command(element, target, { parameters: [...target.get('parameters'), parameter] }));
        commandStack.execute('properties-panel.multi-command-executor', commands);
      }
    };
  }
}

PlatformPropertiesProvider.$inject = ['propertiesPanel', 'injector', 'config', 'eventBus'];

// -- helpers -----------------------------------------------------------------------------------

function getOperator(element) {
  return extension(element, 'spiffworkflow:ServiceTaskOperator');
}

function isConditional(element) {
  if (!is(element, 'bpmn:SequenceFlow')) return false;
  const source = getBusinessObject(element).sourceRef;
  return isAny(source, ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway', 'bpmn:Activity']);
}

// -- entries -------------------------------------------------------------------------------------

function LaneRole(props) {
  const { element, id, roles } = props;
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  const modeling = useService('modeling');
  const businessObject = getBusinessObject(element);
  const name = businessObject.get('name') || '';
  const current = propertyValue(businessObject, 'role') || roleKey(name);
  const options = roles.map((role) => ({ value: role.key, label: role.label }));
  if (current && !roles.some((role) => role.key === current)) {
    options.unshift({ value: current, label: _('%(role)s (not a known role)', { role: current }) });
  }
  return SelectEntry({
    element, id, label: term(_('Role working in this lane'), 'camunda:property role'),
    description: _('Tasks in this lane appear in the worklist of the users holding this role; they approve '
      + 'or do them. The lane\'s name is free text.'),
    getValue: () => current,
    setValue: (value) => {
      setProperty(commandStack, bpmnFactory, element, businessObject, 'name', 'role', value);
      const role = roles.find((r) => r.key === value);
      if (!name && role) modeling.updateProperties(element, { name: role.label });
    },
    getOptions: () => [{ value: '', label: '' }, ...options]
  });
}

/** The key a lane without a role property gets from its name (engine/parser.py role_key). */
function roleKey(name) {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

// -- translations (i18n:<language> properties) -------------------------------------------------

function hasLabel(element) {
  return isAny(element, ['bpmn:FlowElement', 'bpmn:Lane', 'bpmn:Participant', 'bpmn:Process'])
    && !is(element, 'bpmn:DataObject');
}

/** Text fields for each other language: the element's name, documentation and rule messages, and its form
 * fields' labels, help texts and option labels. */
function translationEntries(element, languages) {
  if (!languages || !languages.length || !hasLabel(element)) return null;
  const businessObject = getBusinessObject(element);
  const entries = [];
  const own = (text) => (text ? ` — “${text}”` : '');
  const documentation = (businessObject.get('documentation') || [])[0];
  const properties = camundaProperties(businessObject);
  const rules = properties ? properties.get('values').filter((p) => propertyKey(p) === 'rule') : [];
  const formData = extension(element, 'camunda:FormData');
  languages.forEach(({ code, name }) => {
    const entry = (suffix, holder, attribute, propertyName, label) => entries.push({
      id: `crm-i18n-${code}-${suffix}`, component: Translation, holder, attribute, propertyName, label,
      isEdited: isTextFieldEntryEdited
    });
    entry('name', businessObject, 'name', `i18n:${code}`,
      _('Name (%(language)s)', { language: name }) + own(businessObject.get('name')));
    if (documentation && documentation.get('text')) {
      entry('documentation', businessObject, 'name', `i18n:${code}:documentation`,
        _('Documentation (%(language)s)', { language: name }));
    }
    rules.forEach((rule, index) => {
      const message = (rule.get('value') || '').split('|')[1] || '';
      entry(`rule-${index + 1}`, businessObject, 'name', `i18n:${code}:rule:${index + 1}`,
        _('Rule message %(n)s (%(language)s)', { n: index + 1, language: name }) + own(message.trim()));
    });
    (formData ? formData.get('fields') : []).forEach((field) => {
      const fieldId = field.get('id');
      entry(`${fieldId}-label`, field, 'id', `i18n:${code}:label`,
        _('Field %(field)s: label (%(language)s)', { field: fieldId, language: name }) + own(field.get('label')));
      if (propertyValue(field, 'help')) {
        entry(`${fieldId}-help`, field, 'id', `i18n:${code}:help`,
          _('Field %(field)s: help (%(language)s)', { field: fieldId, language: name }));
      }
      (field.get('values') || []).forEach((option) => {
        entry(`${fieldId}-option-${option.get('id')}`, field, 'id', `i18n:${code}:option:${option.get('id')}`,
          _('Field %(field)s: option %(option)s (%(language)s)', { field: fieldId, option: option.get('id'), language: name })
          + own(option.get('name')));
      });
    });
  });
  return entries;
}

function Translation(props) {
  const { element, id, holder, attribute, propertyName, label } = props;  // (``key`` is Preact's own prop)
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  return TextFieldEntry({
    element, id, label, debounce,
    getValue: () => propertyValue(holder, propertyName),
    setValue: (value) => setProperty(commandStack, bpmnFactory, element, holder, attribute, propertyName,
      (value || '').trim())
  });
}

/** One validation problem of the selected element, as the Validate or Deploy answer gave it. */
function Problem(props) {
  const { id, problem } = props;
  return jsx('div', {
    class: `crm-panel-problem crm-panel-problem-${problem.severity}`, 'data-entry-id': id,
    children: [
      jsx('span', { class: 'crm-panel-problem-kind', children: problem.severity === 'error' ? _('Error') : _('Warning') }),
      ' ', problem.message
    ]
  });
}

function Condition(props) {
  const { element, id } = props;
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  const expression = getBusinessObject(element).get('conditionExpression');
  return TextFieldEntry({
    element, id, label: term(_('Taken when'), 'conditionExpression (Python)'), debounce,
    description: _('A condition over the process data, e.g. amount > 10000 or approved == True'),
    getValue: () => (expression && expression.get('body')) || '',
    setValue: (value) => modeling.updateProperties(element, {
      conditionExpression: value ? bpmnFactory.create('bpmn:FormalExpression', { body: value }) : undefined
    })
  });
}

function DefaultFlow(props) {
  const { element, id } = props;
  const modeling = useService('modeling');
  const elementRegistry = useService('elementRegistry');
  const flow = getBusinessObject(element);
  const source = elementRegistry.get(flow.sourceRef.id);
  return CheckboxEntry({
    element, id, label: term(_('Taken when no other condition holds'), 'default flow'),
    getValue: () => getBusinessObject(source).get('default') === flow,
    setValue: (value) => modeling.updateProperties(source, { default: value ? flow : undefined })
  });
}

function Script(props) {
  const { element, id } = props;
  const modeling = useService('modeling');
  const debounce = useService('debounceInput');
  return TextAreaEntry({
    element, id, label: _('Script'), debounce, rows: 8, monospace: true,
    description: _('Python run in a sandbox: no imports; assigned names become process data.'),
    getValue: () => getBusinessObject(element).get('script') || '',
    setValue: (value) => modeling.updateProperties(element, { scriptFormat: 'python', script: value })
  });
}

function Operation(props) {
  const { element, id, operations } = props;
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  const operator = getOperator(element);
  const current = operator ? operator.get('id') : '';
  const options = operations.map((op) => ({
    value: op.name, label: op.background ? _('%(name)s (background)', { name: op.name }) : op.name
  }));
  if (current && !operations.some((op) => op.name === current)) {
    options.unshift({ value: current, label: _('%(name)s (not registered)', { name: current }) });
  }
  const setValue = (value) => {
    if (operator) {
      update(commandStack, element, operator, { id: value });
      return;
    }
    const known = operations.find((op) => op.name === value);
    const created = create(bpmnFactory, 'spiffworkflow:ServiceTaskOperator', { id: value });
    created.parameterList = create(bpmnFactory, 'spiffworkflow:Parameters', {
      parameters: (known ? known.params : []).map((name) => bpmnFactory.create(
        'spiffworkflow:Parameter', { id: name, type: 'any', value: name }))
    }, created);
    created.parameterList.get('parameters').forEach((p) => { p.$parent = created.parameterList; });
    commandStack.execute('properties-panel.multi-command-executor', addExtension(element, created, bpmnFactory));
  };
  const operation = operations.find((op) => op.name === current);
  return SelectEntry({
    element, id, label: _('Operation'), setValue,
    description: operation ? operation.description : _('What the platform does at this step.'),
    getValue: () => current,
    getOptions: () => [{ value: '', label: '' }, ...options]
  });
}

function ResultVariable(props) {
  const { element, id } = props;
  const commandStack = useService('commandStack');
  const debounce = useService('debounceInput');
  const operator = getOperator(element);
  return TextFieldEntry({
    element, id, label: term(_('Result stored as'), 'resultVariable'), debounce,
    description: _('The operation\'s result is stored in the process data under this name.'),
    getValue: () => operator.get('resultVariable') || '',
    setValue: (value) => update(commandStack, element, operator, { resultVariable: value || undefined })
  });
}

function ParameterField(props) {
  const { element, id, parameter, field, label } = props;
  const commandStack = useService('commandStack');
  const debounce = useService('debounceInput');
  return TextFieldEntry({
    element, id, label, debounce,
    getValue: () => parameter.get(field) || '',
    setValue: (value) => update(commandStack, element, parameter, { [field]: value })
  });
}

function ParameterType(props) {
  const { element, id, parameter } = props;
  const commandStack = useService('commandStack');
  return SelectEntry({
    element, id, label: _('Type'),
    getValue: () => parameter.get('type') || 'any',
    setValue: (value) => update(commandStack, element, parameter, { type: value }),
    getOptions: () => PARAMETER_TYPES.map((type) => ({ value: type, label: type }))
  });
}

function CalledElement(props) {
  const { element, id } = props;
  const modeling = useService('modeling');
  const debounce = useService('debounceInput');
  return TextFieldEntry({
    element, id, label: term(_('Process key'), 'calledElement'), debounce,
    description: _('The key of a deployed process; its version is fixed when this process is deployed.'),
    getValue: () => getBusinessObject(element).get('calledElement') || '',
    setValue: (value) => modeling.updateProperties(element, { calledElement: value })
  });
}

function DecisionId(props) {
  const { element, id } = props;
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  const decision = extension(element, 'spiffworkflow:CalledDecisionId');
  return TextFieldEntry({
    element, id, label: term(_('Decision table id'), 'spiffworkflow:calledDecisionId'), debounce,
    description: _('The id of a decision table in a DMN file deployed with or before this process.'),
    getValue: () => (decision && decision.get('value')) || '',
    setValue: (value) => {
      if (decision) {
        update(commandStack, element, decision, { value });
      } else {
        const created = create(bpmnFactory, 'spiffworkflow:CalledDecisionId', { value });
        commandStack.execute('properties-panel.multi-command-executor', addExtension(element, created, bpmnFactory));
      }
    }
  });
}

function PythonTimerValue(props) {
  const { element, id, timerEventDefinition, timerEventDefinitionType } = props;
  const commandStack = useService('commandStack');
  const debounce = useService('debounceInput');
  const expression = timerEventDefinition.get(timerEventDefinitionType);
  return TextFieldEntry({
    element, id, label: term(_('When'), 'timer expression (Python)'), debounce,
    description: _('Quote fixed values: "P2D" = in 2 days, "PT4H" = in 4 hours, "R3/PT1H" = 3 times hourly, '
      + '"2030-01-31T09:00:00Z" = at that moment; or use process data.'),
    getValue: () => (expression && expression.get('body')) || '',
    setValue: (value) => update(commandStack, element, expression, { body: value })
  });
}

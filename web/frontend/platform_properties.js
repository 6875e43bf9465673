/*
 * Properties panel for what this platform executes.
 *
 * Keeps the standard groups that apply (general, documentation, timer, multi-instance, messages, errors)
 * and Camunda's form fields, assignee, due date and priority; drops Camunda groups the platform does not run
 * (listeners, input/output, Java delegates, async flags, ...). Adds platform groups: the lane's role,
 * gateway conditions and default flows, Python scripts, service operations with parameters
 * (spiffworkflow:serviceTaskOperator), called processes and decisions, and the translations of the element's
 * labels (``i18n:<language>`` properties, see docs/CONVENTIONS.md "Labels in two languages").
 */
import {
  CheckboxEntry, Group, ListGroup, SelectEntry, TextAreaEntry, TextFieldEntry,
  isCheckboxEntryEdited, isSelectEntryEdited, isTextAreaEntryEdited, isTextFieldEntryEdited
} from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is, isAny } from 'bpmn-js/lib/util/ModelUtil';

const KEEP_GROUPS = new Set([
  'general', 'documentation', 'timer', 'multiInstance', 'message', 'error', 'link',
  'CamundaPlatform__FormData', 'CamundaPlatform__UserAssignment'
]);
const DROP_ENTRIES = new Set([
  'versionTag', 'candidateGroups', 'candidateUsers', 'followUpDate', 'collection', 'elementVariable',
  'multiInstanceAsynchronousBefore', 'multiInstanceAsynchronousAfter', 'multiInstanceExclusive',
  'multiInstanceRetryTimeCycle'
]);
const PARAMETER_TYPES = ['any', 'str', 'int', 'float', 'bool', 'dict', 'list'];

export default class PlatformPropertiesProvider {
  constructor(propertiesPanel, injector, config) {
    propertiesPanel.registerProvider(100, this);
    this._injector = injector;
    this._catalog = config.crmCatalog || { roles: [], operations: [], languages: [] };
  }

  getGroups(element) {
    return (groups) => {
      groups = groups.filter((group) => KEEP_GROUPS.has(group.id));
      groups.forEach((group) => {
        if (group.entries) group.entries = group.entries.filter((entry) => !DROP_ENTRIES.has(entry.id));
        if (group.id === 'CamundaPlatform__UserAssignment') group.label = 'Assignee, due date and priority';
        if (group.id === 'timer') {
          group.entries = group.entries.map((entry) => entry.id === 'timerEventDefinitionValue'
            ? { ...entry, component: PythonTimerValue } : entry);
        }
      });
      groups = groups.filter((group) => !group.entries || group.entries.length);
      const extra = [
        this._group(element, 'crm-role', 'Lane role', is(element, 'bpmn:Lane') && [
          { id: 'crm-lane-role', component: LaneRole, roles: this._catalog.roles, isEdited: isSelectEntryEdited }
        ]),
        this._group(element, 'crm-translations', 'Translations', translationEntries(element, this._catalog.languages)),
        this._group(element, 'crm-form', 'Form', hasForm(element) && [
          { id: 'crm-form-toggle', component: FormToggle, isEdited: isCheckboxEntryEdited }
        ]),
        this._group(element, 'crm-condition', 'Condition', isConditional(element) && [
          { id: 'crm-condition-expression', component: Condition, isEdited: isTextFieldEntryEdited },
          { id: 'crm-default-flow', component: DefaultFlow, isEdited: isCheckboxEntryEdited }
        ]),
        this._group(element, 'crm-script', 'Script (Python)', is(element, 'bpmn:ScriptTask') && [
          { id: 'crm-script', component: Script, isEdited: isTextAreaEntryEdited }
        ]),
        this._group(element, 'crm-service', 'Service operation', is(element, 'bpmn:ServiceTask') && [
          { id: 'crm-operation', component: Operation, operations: this._catalog.operations,
            isEdited: isSelectEntryEdited },
          getOperator(element) && { id: 'crm-result-variable', component: ResultVariable,
            isEdited: isTextFieldEntryEdited }
        ].filter(Boolean)),
        is(element, 'bpmn:ServiceTask') && getOperator(element) ? this._parameters(element) : null,
        this._group(element, 'crm-called', 'Called process', is(element, 'bpmn:CallActivity') && [
          { id: 'crm-called-element', component: CalledElement, isEdited: isTextFieldEntryEdited }
        ]),
        this._group(element, 'crm-decision', 'Decision (DMN)', is(element, 'bpmn:BusinessRuleTask') && [
          { id: 'crm-decision-id', component: DecisionId, isEdited: isTextFieldEntryEdited }
        ])
      ];
      const position = groups.findIndex((group) => group.id === 'documentation');
      groups.splice(position < 0 ? 1 : position, 0, ...extra.filter(Boolean));
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
      label: 'Parameters',
      component: ListGroup,
      items: parameters.map((parameter, index) => {
        const id = `${element.id}-parameter-${index}`;
        return {
          id,
          label: parameter.get('id') || '',
          entries: [
            { id: `${id}-name`, component: ParameterField, parameter, field: 'id', label: 'Name',
              isEdited: isTextFieldEntryEdited },
            { id: `${id}-value`, component: ParameterField, parameter, field: 'value',
              label: 'Value (Python expression over task data)', isEdited: isTextFieldEntryEdited },
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

PlatformPropertiesProvider.$inject = ['propertiesPanel', 'injector', 'config'];

// -- helpers -----------------------------------------------------------------------------------

function create(bpmnFactory, type, properties, parent) {
  const element = bpmnFactory.create(type, properties);
  element.$parent = parent;
  return element;
}

function command(element, moddleElement, properties) {
  return { cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } };
}

function update(commandStack, element, moddleElement, properties) {
  commandStack.execute('element.updateModdleProperties', { element, moddleElement, properties });
}

function extension(element, type) {
  const extensionElements = getBusinessObject(element).get('extensionElements');
  return extensionElements && extensionElements.get('values').find((value) => is(value, type));
}

function getOperator(element) {
  return extension(element, 'spiffworkflow:ServiceTaskOperator');
}

/** Commands adding ``value`` to the element's extension elements (created when missing). */
function addExtension(element, value, bpmnFactory) {
  const businessObject = getBusinessObject(element);
  const commands = [];
  let extensionElements = businessObject.get('extensionElements');
  if (!extensionElements) {
    extensionElements = create(bpmnFactory, 'bpmn:ExtensionElements', { values: [] }, businessObject);
    commands.push(command(element, businessObject, { extensionElements }));
  }
  value.$parent = extensionElements;
  commands.push(command(element, extensionElements, { values: [...extensionElements.get('values'), value] }));
  return commands;
}

function hasForm(element) {
  return is(element, 'bpmn:UserTask') || (is(element, 'bpmn:StartEvent') && is(element.parent, 'bpmn:Process'))
    || (is(element, 'bpmn:StartEvent') && is(element.parent, 'bpmn:Participant'));
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
    options.unshift({ value: current, label: `${current} (not a known role)` });
  }
  return SelectEntry({
    element, id, label: 'Role working in this lane',
    description: 'Lanes are roles: tasks in this lane appear in the worklist of users holding this role. '
      + 'The lane\'s name is free text (any language).',
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

function camundaProperties(holder) {
  if (is(holder, 'camunda:FormField')) return holder.get('properties');
  const extensionElements = holder.get('extensionElements');
  return extensionElements && extensionElements.get('values').find((value) => is(value, 'camunda:Properties'));
}

function propertyValue(holder, key) {
  const properties = camundaProperties(holder);
  const found = properties && properties.get('values').find((p) => (p.get('name') || p.get('id')) === key);
  return found ? found.get('value') || '' : '';
}

/** Set (or with an empty value remove) the ``camunda:property`` ``key`` of an element or a form field;
 * ``attribute`` is ``name`` for elements and ``id`` for form fields (like their ``help`` property). */
function setProperty(commandStack, bpmnFactory, element, holder, attribute, key, value) {
  const commands = [];
  let properties = camundaProperties(holder);
  if (!properties) {
    if (!value) return;
    properties = create(bpmnFactory, 'camunda:Properties', { values: [] });
    if (is(holder, 'camunda:FormField')) {
      properties.$parent = holder;
      commands.push(command(element, holder, { properties }));
    } else {
      let extensionElements = holder.get('extensionElements');
      if (!extensionElements) {
        extensionElements = create(bpmnFactory, 'bpmn:ExtensionElements', { values: [] }, holder);
        commands.push(command(element, holder, { extensionElements }));
      }
      properties.$parent = extensionElements;
      commands.push(command(element, extensionElements, { values: [...extensionElements.get('values'), properties] }));
    }
  }
  const values = properties.get('values');
  const existing = values.find((p) => (p.get('name') || p.get('id')) === key);
  if (existing && value) {
    commands.push(command(element, existing, { value }));
  } else if (existing) {
    commands.push(command(element, properties, { values: values.filter((p) => p !== existing) }));
  } else if (value) {
    const created = create(bpmnFactory, 'camunda:Property', { [attribute]: key, value }, properties);
    commands.push(command(element, properties, { values: [...values, created] }));
  }
  if (commands.length) commandStack.execute('properties-panel.multi-command-executor', commands);
}

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
  const rules = properties ? properties.get('values').filter((p) => (p.get('name') || p.get('id')) === 'rule') : [];
  const formData = extension(element, 'camunda:FormData');
  languages.forEach(({ code, name }) => {
    const entry = (suffix, holder, attribute, propertyName, label) => entries.push({
      id: `crm-i18n-${code}-${suffix}`, component: Translation, holder, attribute, propertyName, label,
      isEdited: isTextFieldEntryEdited
    });
    entry('name', businessObject, 'name', `i18n:${code}`, `Name (${name})${own(businessObject.get('name'))}`);
    if (documentation && documentation.get('text')) {
      entry('documentation', businessObject, 'name', `i18n:${code}:documentation`, `Documentation (${name})`);
    }
    rules.forEach((rule, index) => {
      const message = (rule.get('value') || '').split('|')[1] || '';
      entry(`rule-${index + 1}`, businessObject, 'name', `i18n:${code}:rule:${index + 1}`,
        `Rule message ${index + 1} (${name})${own(message.trim())}`);
    });
    (formData ? formData.get('fields') : []).forEach((field) => {
      const fieldId = field.get('id');
      entry(`${fieldId}-label`, field, 'id', `i18n:${code}:label`,
        `Field ${fieldId}: label (${name})${own(field.get('label'))}`);
      if (propertyValue(field, 'help')) {
        entry(`${fieldId}-help`, field, 'id', `i18n:${code}:help`, `Field ${fieldId}: help (${name})`);
      }
      (field.get('values') || []).forEach((option) => {
        entry(`${fieldId}-option-${option.get('id')}`, field, 'id', `i18n:${code}:option:${option.get('id')}`,
          `Field ${fieldId}: option ${option.get('id')} (${name})${own(option.get('name'))}`);
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

function FormToggle(props) {
  const { element, id } = props;
  const commandStack = useService('commandStack');
  const bpmnFactory = useService('bpmnFactory');
  const formData = extension(element, 'camunda:FormData');
  return CheckboxEntry({
    element, id, label: 'Shows a form (fields below)',
    description: 'User tasks need a form; a start event may have one. Field types: string, text, integer, '
      + 'decimal, date, datetime, boolean, enum, multi_enum, reference, file.',
    getValue: () => Boolean(formData),
    setValue: (value) => {
      if (value && !formData) {
        const created = create(bpmnFactory, 'camunda:FormData', { fields: [] });
        commandStack.execute('properties-panel.multi-command-executor', addExtension(element, created, bpmnFactory));
      } else if (!value && formData) {
        const extensionElements = getBusinessObject(element).get('extensionElements');
        update(commandStack, element, extensionElements,
          { values: extensionElements.get('values').filter((v) => v !== formData) });
      }
    }
  });
}

function Condition(props) {
  const { element, id } = props;
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  const expression = getBusinessObject(element).get('conditionExpression');
  return TextFieldEntry({
    element, id, label: 'Condition (Python expression)', debounce,
    description: 'Over the process data, e.g. amount > 10000 or approved == True',
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
    element, id, label: 'Default flow (taken when no condition holds)',
    getValue: () => getBusinessObject(source).get('default') === flow,
    setValue: (value) => modeling.updateProperties(source, { default: value ? flow : undefined })
  });
}

function Script(props) {
  const { element, id } = props;
  const modeling = useService('modeling');
  const debounce = useService('debounceInput');
  return TextAreaEntry({
    element, id, label: 'Script', debounce, rows: 8, monospace: true,
    description: 'Python run in a sandbox: no imports; assigned names become process data.',
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
    value: op.name, label: op.name + (op.background ? ' (background)' : '')
  }));
  if (current && !operations.some((op) => op.name === current)) {
    options.unshift({ value: current, label: `${current} (not registered)` });
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
    element, id, label: 'Operation', setValue,
    description: operation ? operation.description : 'A handler registered in handlers/',
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
    element, id, label: 'Result variable', debounce,
    description: 'The operation\'s result is stored in the process data under this name.',
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
    element, id, label: 'Type',
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
    element, id, label: 'Process key', debounce,
    description: 'The key of a deployed process; its version is fixed when this process is deployed.',
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
    element, id, label: 'Decision id', debounce,
    description: 'The id of a decision table in a DMN file deployed with or before this process.',
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
    element, id, label: 'Value (Python expression)', debounce,
    description: 'Quote fixed values: "P2D", "PT4H", "R3/PT1H", "2030-01-31T09:00:00Z"; or use process data.',
    getValue: () => (expression && expression.get('body')) || '',
    setValue: (value) => update(commandStack, element, expression, { body: value })
  });
}

/*
 * Small helpers the modeler's property entries share: reading and writing extension elements and
 * ``camunda:property`` entries through the command stack (so undo/redo and "unsaved changes" work).
 */
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

export function create(bpmnFactory, type, properties, parent) {
  const element = bpmnFactory.create(type, properties);
  element.$parent = parent;
  return element;
}

export function command(element, moddleElement, properties) {
  return { cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } };
}

export function update(commandStack, element, moddleElement, properties) {
  commandStack.execute('element.updateModdleProperties', { element, moddleElement, properties });
}

export function runAll(commandStack, commands) {
  if (commands.length) commandStack.execute('properties-panel.multi-command-executor', commands);
}

/** The first extension element of ``type`` of an element (or of a business object). */
export function extension(element, type) {
  const extensionElements = getBusinessObject(element).get('extensionElements');
  return extensionElements && extensionElements.get('values').find((value) => is(value, type));
}

/** Commands adding ``value`` to the extension elements of ``element`` (or ``holder``; created when missing). */
export function addExtension(element, value, bpmnFactory, holder) {
  const businessObject = holder || getBusinessObject(element);
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

/** The ``camunda:properties`` of an element's business object or of a form field. */
export function camundaProperties(holder) {
  if (is(holder, 'camunda:FormField')) return holder.get('properties');
  const extensionElements = holder.get('extensionElements');
  return extensionElements && extensionElements.get('values').find((value) => is(value, 'camunda:Properties'));
}

export function propertyKey(property) {
  return property.get('name') || property.get('id');
}

export function propertyValue(holder, key) {
  const properties = camundaProperties(holder);
  const found = properties && properties.get('values').find((p) => propertyKey(p) === key);
  return found ? found.get('value') || '' : '';
}

/** Commands creating the holder's ``camunda:properties`` when missing; returns [properties, commands]. */
export function ensureProperties(bpmnFactory, element, holder) {
  let properties = camundaProperties(holder);
  if (properties) return [properties, []];
  const commands = [];
  properties = create(bpmnFactory, 'camunda:Properties', { values: [] });
  if (is(holder, 'camunda:FormField')) {
    properties.$parent = holder;
    commands.push(command(element, holder, { properties }));
  } else {
    commands.push(...addExtension(element, properties, bpmnFactory, holder));
  }
  return [properties, commands];
}

/** Set (or with an empty value remove) the ``camunda:property`` ``key`` of an element or a form field;
 * ``attribute`` is ``name`` for elements and ``id`` for form fields (like their ``help`` property). */
export function setProperty(commandStack, bpmnFactory, element, holder, attribute, key, value) {
  if (!value && !camundaProperties(holder)) return;
  const [properties, commands] = ensureProperties(bpmnFactory, element, holder);
  const values = properties.get('values');
  const existing = values.find((p) => propertyKey(p) === key);
  if (existing && value) {
    commands.push(command(element, existing, { value }));
  } else if (existing) {
    commands.push(command(element, properties, { values: values.filter((p) => p !== existing) }));
  } else if (value) {
    const created = create(bpmnFactory, 'camunda:Property', { [attribute]: key, value }, properties);
    commands.push(command(element, properties, { values: [...values, created] }));
  }
  runAll(commandStack, commands);
}

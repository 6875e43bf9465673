/*
 * bpmn-js and its properties panel in the page's language: the palette, context pad, replace menu and the
 * standard groups call bpmn-js's ``translate(template, replacements)`` service; this module replaces it with
 * one that looks the library's English up in the frontend catalog (``translateModule``, i18n.js). The table
 * lists the texts a process owner meets (extracted by ``make messages`` like any other ``_()`` call); others
 * stay as the library wrote them.
 */
import { _, translateModule } from './i18n.js';

function libraryTerms() {
  return {
    // palette and context pad
    'Activate hand tool': _('Activate hand tool'),
    'Activate lasso tool': _('Activate lasso tool'),
    'Activate create/remove space tool': _('Activate create/remove space tool'),
    'Activate global connect tool': _('Activate global connect tool'),
    'Create start event': _('Create start event'),
    'Create intermediate/boundary event': _('Create intermediate/boundary event'),
    'Create end event': _('Create end event'),
    'Create gateway': _('Create gateway'),
    'Create task': _('Create task'),
    'Create data object reference': _('Create data object reference'),
    'Create data store reference': _('Create data store reference'),
    'Create expanded sub-process': _('Create expanded sub-process'),
    'Create pool/participant': _('Create pool/participant'),
    'Create group': _('Create group'),
    'Append end event': _('Append end event'),
    'Append gateway': _('Append gateway'),
    'Append task': _('Append task'),
    'Append intermediate/boundary event': _('Append intermediate/boundary event'),
    'Append timer intermediate catch event': _('Append timer intermediate catch event'),
    'Change element': _('Change element'),
    'Delete': _('Delete'),
    'Connect to other element': _('Connect to other element'),
    'Connect using association': _('Connect using association'),
    'Add text annotation': _('Add text annotation'),
    'Add lane above': _('Add lane above'),
    'Add lane below': _('Add lane below'),
    'Divide into two lanes': _('Divide into two lanes'),
    'Divide into three lanes': _('Divide into three lanes'),
    // element kinds (replace menu, panel header)
    'Task': _('Task'),
    'User task': _('User task'),
    'Service task': _('Service task'),
    'Script task': _('Script task'),
    'Business rule task': _('Business rule task'),
    'Call activity': _('Call activity'),
    'Start event': _('Start event'),
    'End event': _('End event'),
    'Exclusive gateway': _('Exclusive gateway'),
    'Parallel gateway': _('Parallel gateway'),
    'Inclusive gateway': _('Inclusive gateway'),
    'Sequence flow': _('Sequence flow'),
    'Default flow': _('Default flow'),
    'Conditional flow': _('Conditional flow'),
    'Lane': _('Lane'),
    'Pool': _('Pool'),
    'Process': _('Process'),
    // the panel header's element kind ("User Task": BPMN's type name split into words)
    'User Task': _('User Task'),
    'Service Task': _('Service Task'),
    'Script Task': _('Script Task'),
    'Business Rule Task': _('Business Rule Task'),
    'Call Activity': _('Call Activity'),
    'Start Event': _('Start Event'),
    'End Event': _('End Event'),
    'Timer Start Event': _('Timer Start Event'),
    'Timer Intermediate Catch Event': _('Timer Intermediate Catch Event'),
    'Timer Boundary Event': _('Timer Boundary Event'),
    'Exclusive Gateway': _('Exclusive Gateway'),
    'Parallel Gateway': _('Parallel Gateway'),
    'Inclusive Gateway': _('Inclusive Gateway'),
    'Sequence Flow': _('Sequence Flow'),
    'Participant': _('Participant'),
    // properties panel
    'General': _('General'),
    'Name': _('Name'),
    'ID': _('ID'),
    'Documentation': _('Documentation'),
    'Element documentation': _('Element documentation'),
    'Process documentation': _('Process documentation'),
    'Timer': _('Timer'),
    'Type': _('Type'),
    'Multi-instance': _('Multi-instance'),
    'Message': _('Message'),
    'Error': _('Error'),
    'Link': _('Link'),
    'Create': _('Create'),
    'Delete item': _('Delete item'),
    'Toggle section': _('Toggle section'),
    'Toggle list item': _('Toggle list item'),
    'Create new list item': _('Create new list item'),
    '<empty>': _('<empty>'),
    '<none>': _('<none>'),
    'Select an element to edit its properties.': _('Select an element to edit its properties.')
  };
}

export const LibraryTranslateModule = translateModule(libraryTerms);

/*
 * The modeler's words in the page's language: ``_`` is the site's crmGettext (web/static/js/app.js, the
 * frontend catalog), ``term`` a label whose tooltip (title) names the BPMN/Camunda term behind it.
 */
import { jsx } from '@bpmn-io/properties-panel/preact/jsx-runtime';

export function _(message, values) {
  return window.crmGettext ? window.crmGettext(message, values) : message;
}

/** A label in the business's words with the technical term as its tooltip. */
export function term(text, technical) {
  return jsx('span', { title: technical, class: 'crm-term', children: text });
}

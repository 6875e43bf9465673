/*
 * The modeler's words in the page's language: ``_`` is the site's crmGettext (web/static/js/app.js, the
 * frontend catalog), ``pgettext`` the same for a word whose sense a context names, ``term`` a label whose
 * tooltip (title) names the BPMN/Camunda term behind it, ``translateModule`` a diagram library's translate
 * service over a table of the library's texts.
 */
import { jsx } from '@bpmn-io/properties-panel/preact/jsx-runtime';

export function _(message, values) {
  return window.crmGettext ? window.crmGettext(message, values) : message;
}

/** ``message`` in the sense ``context`` names (gettext's pgettext; the catalog keys it "context\u0004message"). */
export function pgettext(context, message) {
  const key = `${context}\u0004${message}`;
  const text = _(key);
  return text === key ? message : text;
}

/** A label in the business's words with the technical term as its tooltip. */
export function term(text, technical) {
  return jsx('span', { title: technical, class: 'crm-term', children: text });
}

/**
 * A didi module replacing bpmn-js's or dmn-js's ``translate(template, replacements)`` service: the library's
 * English looked up in ``termsOf()`` ({library text: text in the page's language}, built on first use, once the
 * page's catalog is there); texts the table lacks stay as the library wrote them. ``{name}`` (dmn-js also
 * writes ``{ name }``) is filled from ``replacements``.
 */
export function translateModule(termsOf) {
  let terms = null;
  function translate(template, replacements) {
    terms = terms || termsOf();
    const text = Object.prototype.hasOwnProperty.call(terms, template) ? terms[template] : template;
    return text.replace(/{([^}]+)}/g, (whole, key) => {
      const name = key.trim();
      return replacements && name in replacements ? String(replacements[name]) : whole;
    });
  }
  return { translate: ['value', translate] };
}

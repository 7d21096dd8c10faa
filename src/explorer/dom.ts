/// <reference lib="dom" />
// The explorer's only DOM helpers: elements are built with the DOM API, never from HTML strings,
// so rule text (quotes, descriptions) can never become markup.

type Child = Node | string | number | false | null | undefined;
type Attributes = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Creates an HTML element with attributes (`false`/`undefined` leave one out) and children.
 *
 * @example
 * h('label', { for: 'amount' }, 'amount'); //=> <label for="amount">amount</label>
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: readonly Child[]): HTMLElementTagNameMap[K] {
  return build(document.createElement(tag), attributes, children);
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Creates an SVG element with attributes and children.
 *
 * @example
 * svg('line', { x1: 0, y1: 0, x2: 10, y2: 0 });
 */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: readonly Child[]): SVGElementTagNameMap[K] {
  return build(document.createElementNS(SVG, tag), attributes, children);
}

function build<E extends Element>(element: E, attributes: Attributes, children: readonly Child[]): E {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
  return element;
}

/**
 * An id safe in HTML and CSS selectors, from parts such as a policy id and a fact name.
 *
 * @example
 * domId('review.approval', 'amount'); //=> 'review-approval--amount'
 */
export function domId(...parts: readonly string[]): string {
  return parts.map((part) => part.replace(/[^A-Za-z0-9_-]/g, '-')).join('--');
}

/**
 * The console's only "framework": build elements from a tag, attributes and children. A page is a
 * function that builds its DOM and returns how to stop (timers, streams); updates replace the few
 * nodes that change. Vanilla TS with these helpers keeps the bundle a few KB (see bench/console.ts).
 */
export type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined | ((event: Event) => void);
export type Attrs = Readonly<Record<string, AttrValue>>;

function apply(element: Element, attrs: Attrs, children: readonly Child[]): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  apply(element, attrs, children);
  return element;
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  apply(element, attrs, children);
  return element;
}

/** Replaces an element's children. */
export function fill(element: Element, ...children: Child[]): void {
  element.replaceChildren();
  apply(element, {}, children);
}

/** A labelled form control: the label's `for` names the control's id, so every input has its label. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  const hintId = hint === undefined ? undefined : `${control.id}-hint`;
  if (hintId !== undefined) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hint === undefined ? null : h('small', { id: hintId }, hint));
}

export function select(id: string, choices: readonly (readonly [string, string])[], value = ''): HTMLSelectElement {
  const element = h('select', { id, name: id });
  for (const [choice, text] of choices) element.append(h('option', { value: choice, selected: choice === value }, text));
  return element;
}

export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (iso === null || iso === undefined) return '—';
  return `${duration((now - Date.parse(iso)) / 1000)} ago`;
}

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

/** Today's times as a clock time (narrow enough for a phone's table), older ones with their date. */
export function time(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  return date.toDateString() === new Date().toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
}

/** A native modal dialog that asks before something that cannot be undone; resolves true on confirm. */
export function confirmDialog(question: string, action: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-q' });
    const done = (answer: boolean) => () => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    dialog.append(
      h('p', { id: 'confirm-q' }, question),
      h('div', { class: 'row' }, h('button', { type: 'button', onclick: done(false) }, 'Cancel'), h('button', { type: 'button', class: 'danger', onclick: done(true) }, action)),
    );
    dialog.addEventListener('cancel', done(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}

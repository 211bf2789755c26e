/**
 * Settings: the configuration a remote operator may change (the set-config subset) and the log
 * level, through `POST /cmd/set-config`: the same validation and errors as over MQTT. The keys
 * come from the agent (`GET /cmd/set-config`), so this page follows any change to the subset.
 */
import { type ApiError, command, getJson, type Page } from '../api.js';
import { field, h } from '../dom.js';

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

function controlId(key: string): string {
  return `set-${key.replace(/[^A-Za-z0-9]/g, '-')}`;
}

export const settingsPage: Page = {
  id: 'settings',
  title: 'Settings',
  mount(root) {
    const form = h('form', { class: 'card', 'aria-label': 'Remote-safe settings' });
    const status = h('p', { role: 'status', class: 'status' });
    root.append(h('h1', {}, 'Settings'), h('p', {}, 'Only the settings a remote operator may change; they apply at once and survive a restart. Leave a field empty to keep it.'), form, status);
    void getJson<{ keys: string[] }>('/cmd/set-config').then(({ keys }) => {
      const inputs = keys.map((key) => {
        const input = h('input', { id: controlId(key), name: key, type: 'text', autocomplete: 'off', inputmode: /level/i.test(key) ? 'text' : 'decimal', list: /level/i.test(key) ? 'levels' : undefined });
        return { key, input };
      });
      form.append(h('datalist', { id: 'levels' }, ...levels.map((level) => h('option', { value: level }))), ...inputs.map(({ key, input }) => field(key, input)), h('button', { type: 'submit', class: 'primary' }, 'Apply'));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const values: Record<string, string | number> = {};
        for (const { key, input } of inputs) {
          const text = input.value.trim();
          if (text !== '') values[key] = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
        }
        for (const { input } of inputs) input.removeAttribute('aria-invalid');
        void command<{ applied: Record<string, unknown> }>('set-config', { values }).then(
          ({ applied }) => (status.textContent = `Applied: ${Object.entries(applied).map(([key, value]) => `${key} = ${String(value)}`).join(', ')}`),
          (error: ApiError) => {
            status.textContent = `Refused: ${error.message}`;
            const field = error.field?.replace(/^values\./, '');
            if (field !== undefined) document.getElementById(controlId(field))?.setAttribute('aria-invalid', 'true');
          },
        );
      });
    });
    return () => undefined;
  },
};

/**
 * Location: the last fixes on a plot drawn here (SVG, a local equirectangular projection with a
 * scale bar), so it works with no internet at all; map tiles under it only when `console.tilesUrl`
 * is configured. Fixes are those the page has seen (the state's last location) and fresh ones asked for.
 */
import { type ApiError, command, type AgentState, type Page } from '../api.js';
import { fill, h, svg, time } from '../dom.js';

type Fix = NonNullable<AgentState['lastLocation']>;

const size = 320;
const pad = 24;
const metresPerDegree = 111_320;

/** 1, 2 or 5 × 10^n metres, the largest not above `metres`. */
export function niceDistance(metres: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(metres, 1)));
  return [5, 2, 1].map((step) => step * power).find((candidate) => candidate <= metres) ?? power;
}

function tileLayer(template: string, fixes: readonly Fix[], project: (lat: number, lon: number) => [number, number], spanM: number): SVGGElement {
  const group = svg('g', { class: 'tiles' });
  const lat = fixes.reduce((sum, fix) => sum + fix.lat, 0) / fixes.length;
  const lon = fixes.reduce((sum, fix) => sum + fix.lon, 0) / fixes.length;
  // The zoom whose 256-px tile covers about the plotted span.
  const zoom = Math.max(0, Math.min(19, Math.floor(Math.log2((40_075_016 * Math.cos((lat * Math.PI) / 180)) / Math.max(spanM, 50)))));
  const n = 2 ** zoom;
  const tx = Math.floor(((lon + 180) / 360) * n);
  const ty = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * n);
  for (let dx = -1; dx <= 1; dx++) {
    for (let dy = -1; dy <= 1; dy++) {
      const x = tx + dx;
      const y = ty + dy;
      const west = (x / n) * 360 - 180;
      const east = ((x + 1) / n) * 360 - 180;
      const north = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
      const south = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + 1)) / n))) * 180) / Math.PI;
      const [left, top] = project(north, west);
      const [right, bottom] = project(south, east);
      const href = template.replace('{z}', String(zoom)).replace('{x}', String(x)).replace('{y}', String(y));
      group.append(svg('image', { href, x: left, y: top, width: right - left, height: bottom - top, preserveAspectRatio: 'none' }));
    }
  }
  return group;
}

export function plot(fixes: readonly Fix[], tilesUrl: string | null): SVGSVGElement {
  const chart = svg('svg', { viewBox: `0 0 ${size} ${size}`, class: 'plot', role: 'img', 'aria-label': `${fixes.length} fixes` });
  if (fixes.length === 0) return chart;
  const lat0 = fixes.reduce((sum, fix) => sum + fix.lat, 0) / fixes.length;
  const toXY = (fix: { lat: number; lon: number }): [number, number] => [fix.lon * metresPerDegree * Math.cos((lat0 * Math.PI) / 180), fix.lat * metresPerDegree];
  const points = fixes.map(toXY);
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 100);
  const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
  const cy = (Math.max(...ys) + Math.min(...ys)) / 2;
  const scale = (size - 2 * pad) / span;
  const project = (lat: number, lon: number): [number, number] => {
    const [x, y] = toXY({ lat, lon });
    return [size / 2 + (x - cx) * scale, size / 2 - (y - cy) * scale];
  };
  if (tilesUrl !== null) chart.append(tileLayer(tilesUrl, fixes, project, span));
  chart.append(svg('rect', { x: 0, y: 0, width: size, height: size, class: 'frame' }));
  const screen = fixes.map((fix) => project(fix.lat, fix.lon));
  chart.append(svg('polyline', { points: screen.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '), class: 'track' }));
  screen.forEach(([x, y], index) => {
    const fix = fixes[index];
    const last = index === screen.length - 1;
    chart.append(svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: last ? 6 : 3.5, class: last ? 'fix last' : 'fix' }, svg('title', {}, `${fix?.lat.toFixed(5)}, ${fix?.lon.toFixed(5)} at ${time(fix?.at)}`)));
  });
  const metres = niceDistance((size - 2 * pad) / 3 / scale);
  const length = metres * scale;
  chart.append(
    svg('line', { x1: pad, y1: size - 10, x2: pad + length, y2: size - 10, class: 'scale' }),
    svg('text', { x: pad, y: size - 14, class: 'scale-label' }, metres >= 1000 ? `${metres / 1000} km` : `${metres} m`),
  );
  return chart;
}

export const locationPage: Page = {
  id: 'location',
  title: 'Location',
  mount(root, { state, config }) {
    const figure = h('figure', { class: 'card' });
    const status = h('p', { role: 'status', class: 'status' });
    const list = h('ol', { class: 'history', reversed: true });
    const render = (): void => {
      const fixes = state.fixes;
      const last = fixes[fixes.length - 1];
      fill(figure, plot(fixes, config.tilesUrl), h('figcaption', {}, last === undefined ? 'No fix yet.' : `Last fix ${last.lat.toFixed(5)}, ${last.lon.toFixed(5)}${last.accuracyM === null ? '' : ` ±${last.accuracyM} m`} at ${time(last.at)}`));
      fill(list, ...fixes.slice(-10).reverse().map((fix) => h('li', {}, `${time(fix.at)}: ${fix.lat.toFixed(5)}, ${fix.lon.toFixed(5)}`)));
    };
    const locate = async (): Promise<void> => {
      status.textContent = 'Asking the GNSS for a fresh fix…';
      try {
        const { location } = await command<{ location: Fix | null }>('locate', { fresh: true, timeoutSeconds: 60 });
        if (location !== null) state.addFix(location);
        status.textContent = location === null ? 'No fix: the GNSS has no view of the sky, or the modem has none.' : 'Fresh fix added.';
        render();
      } catch (error) {
        status.textContent = `Locate failed: ${(error as ApiError).message}`;
      }
    };
    root.append(h('h1', {}, 'Location'), h('button', { type: 'button', class: 'primary', onclick: () => void locate() }, 'Locate now'), status, figure, h('h2', {}, 'Last fixes'), list);
    render();
    return state.subscribe(render);
  },
};

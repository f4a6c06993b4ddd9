import type { EvaluationResult, ModelMetrics } from './evaluation';

const METRICS: { key: keyof ModelMetrics; label: string }[] = [
  { key: 'precision', label: 'Precision@K' },
  { key: 'recall', label: 'Recall@K' },
  { key: 'map', label: 'MAP@K' },
  { key: 'ndcg', label: 'NDCG@K' },
  { key: 'coverage', label: 'Catalogue coverage' },
];

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2'];

/**
 * A self-contained HTML report (no scripts, no external assets): per metric an inline SVG bar
 * chart grouped by split, one bar per model, plus the numbers as a table.
 */
export function renderHtmlReport(
  results: readonly EvaluationResult[],
  title = 'Recommender evaluation',
): string {
  const models = [...new Set(results.flatMap((r) => Object.keys(r.models)))];
  const charts = METRICS.map((metric) => chart(metric.label, metric.key, results, models)).join(
    '\n',
  );
  const rows = results
    .flatMap((r) =>
      models.map((m) => {
        const x = r.models[m];
        if (!x) return '';
        const cells = METRICS.map((metric) => `<td>${x[metric.key].toFixed(4)}</td>`).join('');
        return `<tr><td>${esc(r.split)}</td><td>${esc(m)}</td>${cells}</tr>`;
      }),
    )
    .join('\n');
  const meta = results
    .map(
      (r) =>
        `<li>${esc(r.split)}: K=${r.k}, ${r.users} test users, ${r.catalogSize} items, ${r.trainEvents} training events ` +
        `(${r.trainNnz} user×item pairs), ALS ${r.trainingMs.als.toFixed(0)} ms on ${r.alsThreads} thread(s)</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}td:nth-child(-n+2){text-align:left}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}</style></head>
<body><h1>${esc(title)}</h1><ul>${meta}</ul>
<div class="charts">${charts}</div>
<h2>Numbers</h2><table><tr><th>split</th><th>model</th>${METRICS.map((m) => `<th>${esc(m.label)}</th>`).join('')}</tr>
${rows}</table></body></html>
`;
}

function chart(
  label: string,
  key: keyof ModelMetrics,
  results: readonly EvaluationResult[],
  models: string[],
): string {
  const barW = 26;
  const gap = 18;
  const height = 180;
  const top = 24;
  const left = 40;
  const groupW = models.length * barW + gap;
  const width = left + results.length * groupW + 10;
  const max = Math.max(1e-9, ...results.flatMap((r) => models.map((m) => r.models[m]?.[key] ?? 0)));
  const bars: string[] = [];
  results.forEach((r, g) => {
    const gx = left + g * groupW;
    models.forEach((m, j) => {
      const v = r.models[m]?.[key] ?? 0;
      const h = (v / max) * height;
      const x = gx + j * barW;
      const y = top + height - h;
      bars.push(
        `<rect x="${x}" y="${y.toFixed(1)}" width="${barW - 4}" height="${h.toFixed(1)}" fill="${COLORS[j % COLORS.length]}"><title>${esc(`${r.split} / ${m}: ${v.toFixed(4)}`)}</title></rect>`,
        `<text x="${x + (barW - 4) / 2}" y="${(y - 3).toFixed(1)}" font-size="8" text-anchor="middle">${v.toFixed(3)}</text>`,
      );
    });
    bars.push(
      `<text x="${gx + (groupW - gap) / 2}" y="${top + height + 14}" font-size="11" text-anchor="middle">${esc(r.split)}</text>`,
    );
  });
  const legend = models
    .map(
      (m, j) =>
        `<rect x="${left + j * 90}" y="${top + height + 24}" width="10" height="10" fill="${COLORS[j % COLORS.length]}"/><text x="${left + j * 90 + 14}" y="${top + height + 33}" font-size="11">${esc(m)}</text>`,
    )
    .join('');
  const svgW = Math.max(width, left + models.length * 90);
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${svgW}" height="${top + height + 44}" role="img" aria-label="${esc(label)}">
<text x="${left}" y="14" font-size="13" font-weight="bold">${esc(label)}</text>
<line x1="${left - 4}" y1="${top + height}" x2="${width}" y2="${top + height}" stroke="#999"/>
${bars.join('\n')}
${legend}
</svg></figure>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

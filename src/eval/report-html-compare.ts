import { escapeHtml } from '../escape-html.js';
import type { ReportComparison } from './compare-reports.js';
import { METRIC_LABELS, formatMetric, higherIsBetter } from './metric-labels.js';

/**
 * The `--compare` part of the HTML report: per suite, a table of every metric before and after with its change, and
 * an SVG chart of the changes of the rates (bars right of the axis went up, left went down; green is better, red
 * worse, whichever way the metric counts), then the cases that got worse and better.
 */
export function renderComparison(comparison: ReportComparison): string {
  const suites = comparison.suites.map((suite) => {
    const rows = suite.metrics
      .map((m) => {
        const delta = m.before === null || m.after === null ? null : m.after - m.before;
        const verdict = delta === null || Math.abs(delta) < 1e-9 ? '' : (delta > 0) === higherIsBetter(m.metric) ? 'better' : 'worse';
        const shown = delta === null ? 'n/a' : `${delta > 0 ? '+' : delta < 0 ? '−' : '±'}${formatMetric(m.metric, Math.abs(delta))}`;
        return `<tr><th scope="row">${escapeHtml(METRIC_LABELS[m.metric])}</th><td class="num">${escapeHtml(formatMetric(m.metric, m.before))}</td><td class="num">${escapeHtml(formatMetric(m.metric, m.after))}</td><td class="num ${verdict === 'better' ? 'right' : verdict === 'worse' ? 'wrong' : 'muted'}">${escapeHtml(shown)}${verdict === '' ? '' : ` ${verdict}`}</td></tr>`;
      })
      .join('\n');
    return `<h3>Suite ${escapeHtml(suite.name)}</h3>
${renderDeltaChart(suite.name, suite.metrics)}
<table><thead><tr><th>metric</th><th>before</th><th>after</th><th>change</th></tr></thead><tbody>
${rows}
</tbody></table>`;
  });
  const list = (title: string, changes: ReportComparison['worse']): string =>
    `<h3>${escapeHtml(title)} (${changes.length})</h3>${
      changes.length === 0
        ? '<p>None.</p>'
        : `<ul>${changes
            .map(
              (c) =>
                `<li>${escapeHtml(`${c.suite}/${c.id}`)}: ${c.passedBefore ? 'passed' : 'failed'} → ${c.passedAfter ? 'passes' : 'fails'}, quality ${c.qualityBefore.toFixed(2)} → ${c.qualityAfter.toFixed(2)}${
                  c.details.length === 0 ? '' : `; ${escapeHtml(c.details.join('; '))}`
                }</li>`,
            )
            .join('')}</ul>`
    }`;
  const membership = [
    comparison.added.length === 0 ? '' : `<p>New cases: ${escapeHtml(comparison.added.join(', '))}</p>`,
    comparison.removed.length === 0 ? '' : `<p>Removed cases: ${escapeHtml(comparison.removed.join(', '))}</p>`,
  ].join('');
  return `<section aria-labelledby="compare-title">
<h2 id="compare-title">Compared with the earlier report</h2>
${suites.join('\n')}
${list('Cases that got worse', comparison.worse)}
${list('Cases that got better', comparison.better)}
${membership}
</section>`;
}

/** Diverging horizontal bars of `after - before` for the rates (latencies are only in the table). */
export function renderDeltaChart(name: string, metrics: ReportComparison['suites'][number]['metrics']): string {
  const rates = metrics.filter((m) => !m.metric.endsWith('Ms'));
  const labelWidth = 230;
  const half = 200;
  const rowHeight = 22;
  const axis = labelWidth + half;
  const deltas = rates.map((m) => (m.before === null || m.after === null ? null : m.after - m.before));
  // The scale shows at least ±0.05, so a change of 0.001 does not look like a landslide.
  const scale = Math.max(0.05, ...deltas.map((d) => Math.abs(d ?? 0)));
  const height = rates.length * rowHeight + 28;
  const rows = rates.map((m, i) => {
    const y = i * rowHeight + 22;
    const delta = deltas[i] ?? null;
    const width = delta === null ? 0 : (Math.abs(delta) / scale) * half;
    const better = delta !== null && delta !== 0 && (delta > 0) === higherIsBetter(m.metric);
    const x = delta !== null && delta < 0 ? axis - width : axis;
    const text = delta === null ? 'n/a' : `${delta > 0 ? '+' : delta < 0 ? '−' : '±'}${Math.abs(delta).toFixed(3)}`;
    const textX = delta !== null && delta < 0 ? axis + 6 : axis - 6;
    return (
      `<text x="${labelWidth - 8}" y="${y + 12}" text-anchor="end" font-size="13">${escapeHtml(METRIC_LABELS[m.metric])}</text>` +
      `<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${rowHeight - 8}" fill="${delta === null || delta === 0 ? '#999' : better ? '#17632a' : '#a4161a'}"><title>${escapeHtml(`${METRIC_LABELS[m.metric]}: ${formatMetric(m.metric, m.before)} → ${formatMetric(m.metric, m.after)}`)}</title></rect>` +
      `<text x="${textX}" y="${y + 12}" text-anchor="${delta !== null && delta < 0 ? 'start' : 'end'}" font-size="12" fill="#333">${escapeHtml(text)}</text>`
    );
  });
  const summary = rates.map((m, i) => `${METRIC_LABELS[m.metric]} ${deltas[i] === null ? 'n/a' : (deltas[i] as number).toFixed(3)}`).join(', ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + 2 * half + 20}" height="${height}" role="img" aria-label="${escapeHtml(`Change of each rate in ${name}: ${summary}`)}">` +
    `<text x="${axis - half}" y="12" font-size="11" fill="#555">−${scale.toFixed(2)}</text><text x="${axis}" y="12" font-size="11" text-anchor="middle" fill="#555">0</text><text x="${axis + half}" y="12" font-size="11" text-anchor="end" fill="#555">+${scale.toFixed(2)}</text>` +
    `<line x1="${axis}" x2="${axis}" y1="16" y2="${height}" stroke="#1d1d1f"/>${rows.join('')}</svg>`;
}

package io.synclog.report;

/**
 * The report page's inline style and script. The script reads the JSON in {@code #report-data},
 * draws each {@code figure.chart} as SVG, and marks it {@code data-rendered="true"} with its number
 * of bars in {@code data-bars}, so a headless browser can check what was drawn.
 */
final class ReportAssets {
  private ReportAssets() {}

  static final String CSS =
      """
      :root { --ink: #1f2430; --muted: #5c6370; --line: #e3e6eb; --bg: #f7f8fa; }
      * { box-sizing: border-box; }
      body { margin: 0; padding: 24px 32px 48px; background: var(--bg); color: var(--ink);
        font: 14px/1.45 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
      header h1 { margin: 0 0 4px; font-size: 24px; }
      .meta, .intro, footer { color: var(--muted); }
      section { background: #fff; border: 1px solid var(--line); border-radius: 8px;
        padding: 16px 20px; margin: 20px 0; }
      section h2 { margin: 0 0 4px; font-size: 18px; }
      figure.chart { margin: 12px 0; }
      figure.chart svg { width: 100%; height: auto; display: block; }
      .grid { stroke: var(--line); }
      .tick, .label, .value { font-size: 12px; fill: var(--muted); }
      .value { fill: var(--ink); }
      .bar:hover { opacity: 0.8; }
      ul.legend { list-style: none; margin: 6px 0 0; padding: 0; display: flex; gap: 16px; }
      ul.legend li { display: flex; align-items: center; gap: 6px; color: var(--muted); }
      ul.legend span { width: 12px; height: 12px; border-radius: 2px; display: inline-block; }
      table { border-collapse: collapse; width: 100%; margin-top: 8px; font-size: 13px; }
      th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      summary { cursor: pointer; color: var(--muted); }
      .empty { color: var(--muted); font-style: italic; }
      code { font-family: ui-monospace, Menlo, Consolas, monospace; }
      """;

  static final String SCRIPT =
      """
      (function () {
        'use strict';
        var data = JSON.parse(document.getElementById('report-data').textContent);
        var NS = 'http://www.w3.org/2000/svg';
        var COLORS = { planned: '#7570b3', succeeded: '#1b9e77', failed: '#d95f02',
          entered: '#1b9e77', exited: '#e7298a' };

        function svg(name, attrs, parent) {
          var e = document.createElementNS(NS, name);
          Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
          if (parent) { parent.appendChild(e); }
          return e;
        }
        function fmt(v) {
          return Math.round(v) === v ? v.toLocaleString('en-US') : String(Math.round(v * 100) / 100);
        }
        function niceMax(v) {
          if (!(v > 0)) { return 1; }
          var p = Math.pow(10, Math.floor(Math.log10(v)));
          var steps = [1, 2, 2.5, 5, 10];
          for (var i = 0; i < steps.length; i++) {
            if (steps[i] * p >= v) { return steps[i] * p; }
          }
          return 10 * p;
        }
        function short(s, n) { return s.length > n ? s.slice(0, n - 3) + '...' : s; }
        function pick(list, key) { return list.map(function (d) { return d[key]; }); }
        function done(figure, bars) {
          figure.setAttribute('data-rendered', 'true');
          figure.setAttribute('data-bars', String(bars));
        }
        function empty(figure, message) {
          var p = document.createElement('p');
          p.className = 'empty';
          p.textContent = message;
          figure.appendChild(p);
          done(figure, 0);
        }
        function legend(figure, series) {
          var ul = document.createElement('ul');
          ul.className = 'legend';
          series.forEach(function (s) {
            var li = document.createElement('li');
            var swatch = document.createElement('span');
            swatch.style.background = s.color;
            li.appendChild(swatch);
            li.appendChild(document.createTextNode(s.name));
            ul.appendChild(li);
          });
          figure.appendChild(ul);
        }

        // Vertical bars grouped by label: one bar per series in each group.
        function columns(figure, title, labels, series, emptyMessage) {
          if (!labels.length) { return empty(figure, emptyMessage); }
          var W = 960, H = 300, L = 56, R = 12, T = 12, B = 70, plotH = H - T - B;
          var top = Math.max.apply(null, series.map(function (s) {
            return Math.max.apply(null, s.values);
          }));
          var max = niceMax(top);
          var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img',
            'aria-label': title }, figure);
          for (var i = 0; i <= 4; i++) {
            var y = T + plotH * (1 - i / 4);
            svg('line', { x1: L, x2: W - R, y1: y, y2: y, 'class': 'grid' }, root);
            svg('text', { x: L - 6, y: y + 4, 'text-anchor': 'end', 'class': 'tick' }, root)
              .textContent = fmt(max * i / 4);
          }
          var gw = (W - L - R) / labels.length;
          var bw = Math.max(2, Math.min(28, gw * 0.8 / series.length));
          var bars = 0;
          labels.forEach(function (label, g) {
            var x0 = L + g * gw + (gw - bw * series.length) / 2;
            series.forEach(function (s, k) {
              var v = s.values[g], h = plotH * v / max;
              var r = svg('rect', { x: x0 + k * bw, y: T + plotH - h, width: bw - 1, height: h,
                fill: s.color, 'class': 'bar', 'data-series': s.name, 'data-value': v }, root);
              svg('title', {}, r).textContent = label + ': ' + fmt(v) + ' ' + s.name;
              bars++;
            });
            var tx = L + g * gw + gw / 2, ty = H - B + 16, tilt = labels.length > 8;
            var t = svg('text', { x: tx, y: ty, 'text-anchor': tilt ? 'end' : 'middle',
              'class': 'label' }, root);
            if (tilt) { t.setAttribute('transform', 'rotate(-35 ' + tx + ' ' + ty + ')'); }
            t.textContent = short(label, 20);
          });
          legend(figure, series);
          done(figure, bars);
        }

        // Horizontal bars, one series, long labels on the left.
        function bars(figure, title, labels, values, color, emptyMessage) {
          if (!labels.length) { return empty(figure, emptyMessage); }
          var W = 960, rowH = 26, L = 280, R = 70, T = 6, H = T * 2 + rowH * labels.length;
          var max = niceMax(Math.max.apply(null, values));
          var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img',
            'aria-label': title }, figure);
          labels.forEach(function (label, i) {
            var y = T + i * rowH, w = Math.max(1, (W - L - R) * values[i] / max);
            svg('text', { x: L - 8, y: y + rowH / 2 + 4, 'text-anchor': 'end', 'class': 'label' },
              root).textContent = short(label, 40);
            var r = svg('rect', { x: L, y: y + 4, width: w, height: rowH - 8, fill: color,
              'class': 'bar', 'data-series': title, 'data-value': values[i] }, root);
            svg('title', {}, r).textContent = label + ': ' + fmt(values[i]);
            svg('text', { x: L + w + 6, y: y + rowH / 2 + 4, 'class': 'value' }, root)
              .textContent = fmt(values[i]);
          });
          done(figure, labels.length);
        }

        columns(document.getElementById('chart-runs'), 'Rows per run', pick(data.runs, 'run'), [
          { name: 'planned', color: COLORS.planned, values: pick(data.runs, 'planned') },
          { name: 'succeeded', color: COLORS.succeeded, values: pick(data.runs, 'succeeded') },
          { name: 'failed', color: COLORS.failed, values: pick(data.runs, 'failed') }
        ], 'No runs.');
        bars(document.getElementById('chart-categories'), 'failures',
          pick(data.categories, 'category'), pick(data.categories, 'failures'), COLORS.failed,
          'No failures in these runs.');
        bars(document.getElementById('chart-rows'), 'failures', pick(data.topRows, 'row'),
          pick(data.topRows, 'failures'), COLORS.failed, 'No failing rows in these runs.');
        columns(document.getElementById('chart-membership'), 'Rows entering and exiting',
          pick(data.membership, 'run'), [
            { name: 'entered', color: COLORS.entered, values: pick(data.membership, 'entered') },
            { name: 'exited', color: COLORS.exited, values: pick(data.membership, 'exited') }
          ], 'No runs.');
        document.body.setAttribute('data-charts-rendered',
          String(document.querySelectorAll('figure.chart[data-rendered="true"]').length));
      })();
      """;
}

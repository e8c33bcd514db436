// The lab dashboard: polls /api/state once a second and draws it. Plain JS, no build step.
// Every text from the JSON goes in through textContent or an attribute, never innerHTML; any field may be null
// (not measured yet), shown as a dash. A failed poll shows "connection lost" and the polling goes on.
'use strict';

(() => {
  const POLL_MS = 1000;
  const CHART_HEIGHT = 260;
  const MAX_DECISIONS = 200;
  const CLIP_CHARS = 120;
  // Okabe-Ito: tells the classes apart for colour-blind readers too.
  const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#8c6d1f', '#000000'];
  const GB = 1e9; // decimal, as GpuCatalog states memory (an "a100-40gb" has 40 GB)

  const $ = (id) => document.getElementById(id);
  let updates = 0;
  let latencyPlot = null;
  let latencyClasses = '';
  let jainPlot = null;
  const lastRendered = {};
  const expanded = new Set();

  // ---- small helpers ----

  const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const fixed = (v, digits, unit = '') => (num(v) === null ? '—' : v.toFixed(digits) + unit);
  const count = (v) => (num(v) === null ? '—' : Math.round(v).toLocaleString('en-GB'));
  const text = (v) => (v === null || v === undefined || v === '' ? '—' : String(v));
  const arr = (v) => (Array.isArray(v) ? v : []);
  const obj = (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});

  function el(tag, className, content) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (content !== undefined) e.textContent = content;
    return e;
  }

  function row(cells) {
    const tr = el('tr');
    for (const c of cells) {
      tr.append(c instanceof Node ? wrapCell(c) : el('td', '', c));
    }
    return tr;
  }

  function wrapCell(node) {
    const td = el('td');
    td.append(node);
    return td;
  }

  function badge(value, kind) {
    const v = text(value);
    const b = el('span', 'badge', v);
    b.dataset.kind = kind;
    b.dataset.value = v.toLowerCase();
    return b;
  }

  /** A horizontal bar, width in [0, 1] of its track, set through the CSSOM (allowed by the page's CSP). */
  function bar(fraction, label, className = '') {
    const wrap = el('div', 'bar ' + className);
    const fill = el('div', 'fill');
    const f = num(fraction);
    fill.style.width = (f === null ? 0 : Math.max(0, Math.min(1, f)) * 100) + '%';
    if (f !== null && f > 0.9) wrap.classList.add('high');
    wrap.append(fill, el('span', 'bar-label', label));
    return wrap;
  }

  /** Renders a part only when its data changed, so that a reader's expanded rows survive the polling. */
  function changed(part, data) {
    const key = JSON.stringify(data === undefined ? null : data);
    if (lastRendered[part] === key) return false;
    lastRendered[part] = key;
    return true;
  }

  function colour(i) {
    return PALETTE[i % PALETTE.length];
  }

  // ---- header ----

  function renderHeader(s) {
    const p = obj(s.progress);
    $('scenario').textContent = text(s.scenario);
    const phase = $('phase');
    phase.textContent = text(s.phase);
    phase.dataset.value = text(s.phase).toLowerCase();
    $('city-seconds').textContent = fixed(s.citySeconds, 1, ' s');
    $('wall-seconds').textContent = fixed(s.wallSeconds, 1, ' s') + (num(s.speedup) === null ? '' : ` (×${s.speedup})`);
    $('produced').textContent = count(p.produced) + (num(p.planned) === null ? '' : ' / ' + count(p.planned));
    $('completed').textContent = count(p.completed);
    $('rejected').textContent = count(p.rejected);
    $('dead-lettered').textContent = count(p.deadLettered);
    $('dead-lettered').classList.toggle('alarm', num(p.deadLettered) !== null && p.deadLettered > 0);
    $('mean-latency').textContent = fixed(p.meanLatencyS, 2, ' s');
    $('p95-latency').textContent = fixed(p.p95LatencyS, 2, ' s');
    $('jain').textContent = fixed(p.normalizedJain, 3);
    document.title = `edgeweave lab · ${text(s.scenario)} · ${text(s.phase)}`;
  }

  // ---- charts ----

  function chartWidth(id) {
    return Math.max(300, $(id).clientWidth);
  }

  function axes(yLabel) {
    const grid = { stroke: '#e3e6ea', width: 1 };
    return [
      { label: 'city seconds', grid, ticks: grid },
      { label: yLabel, grid, ticks: grid, size: 56 },
    ];
  }

  /** A legend value: the one under the cursor, or the series' latest measured one when the cursor is away. */
  function legendValue(format) {
    return (u, v, seriesIdx, idx) => {
      if (idx !== null && idx !== undefined) return format(v);
      const values = u.data[seriesIdx] || [];
      for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return format(values[i]);
      return '—';
    };
  }

  /** The series' values as uPlot wants them: numbers or null, exactly as long as the x values. */
  function column(values, length) {
    const v = arr(values);
    const out = new Array(length);
    for (let i = 0; i < length; i++) out[i] = num(v[i]);
    return out;
  }

  function renderLatency(classes, series) {
    const t = column(series.t, arr(series.t).length);
    const latency = obj(series.latency);
    const data = [t, ...classes.map((c) => column(latency[c], t.length))];
    const key = classes.join('\u0000');
    if (latencyPlot && key !== latencyClasses) {
      latencyPlot.destroy();
      latencyPlot = null;
    }
    if (!latencyPlot) {
      latencyClasses = key;
      latencyPlot = new uPlot({
        width: chartWidth('latency-chart'),
        height: CHART_HEIGHT,
        scales: { x: { time: false }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: axes('latency (s)'),
        // A window without a completion of a class is null: the line spans it rather than breaking up.
        series: [
          { label: 'city s', value: legendValue((v) => fixed(v, 0)) },
          ...classes.map((c, i) => ({
            label: c, stroke: colour(i), width: 2, spanGaps: true, value: legendValue((v) => fixed(v, 2, ' s')),
          })),
        ],
        legend: { live: true },
      }, data, $('latency-chart'));
    } else {
      latencyPlot.setData(data);
    }
  }

  function renderJain(series) {
    const t = column(series.t, arr(series.t).length);
    const data = [t, column(series.jain, t.length)];
    if (!jainPlot) {
      jainPlot = new uPlot({
        width: chartWidth('jain-chart'),
        height: CHART_HEIGHT,
        scales: { x: { time: false }, y: { range: [0, 1] } },
        axes: axes('Normalized Jain'),
        series: [
          { label: 'city s', value: legendValue((v) => fixed(v, 0)) },
          { label: 'Normalized Jain', stroke: '#0072B2', fill: 'rgba(0, 114, 178, 0.08)', width: 2, spanGaps: true,
            value: legendValue((v) => fixed(v, 3)) },
        ],
      }, data, $('jain-chart'));
    } else {
      jainPlot.setData(data);
    }
  }

  function renderCharts(s) {
    if (typeof uPlot === 'undefined') {
      throw new Error('the chart library (uplot.js) did not load');
    }
    const classes = arr(s.classes).map(String);
    const series = obj(s.series);
    renderLatency(classes, series);
    renderJain(series);
  }

  function resizeCharts() {
    if (latencyPlot) latencyPlot.setSize({ width: chartWidth('latency-chart'), height: CHART_HEIGHT });
    if (jainPlot) jainPlot.setSize({ width: chartWidth('jain-chart'), height: CHART_HEIGHT });
  }

  // ---- slowdown ----

  function renderSlowdown(s) {
    const slowdown = obj(s.slowdown);
    const classes = arr(s.classes).map(String);
    for (const c of Object.keys(slowdown)) if (!classes.includes(c)) classes.push(c);
    if (!changed('slowdown', [classes, slowdown])) return;
    const values = classes.map((c) => num(slowdown[c]));
    const max = Math.max(1, ...values.filter((v) => v !== null));
    const body = $('slowdown').tBodies[0];
    body.replaceChildren();
    classes.forEach((c, i) => {
      const name = el('span', 'class-name', c);
      name.style.setProperty('--swatch', colour(i));
      const v = values[i];
      body.append(row([name, bar(v === null ? 0 : v / max, fixed(v, 2, '×'), 'slowdown-bar')]));
    });
    $('slowdown-empty').hidden = values.some((v) => v !== null);
  }

  // ---- servers ----

  function gpuRow(g) {
    const total = num(g.memoryBytes);
    const used = num(g.memoryUsedBytes);
    const memLabel = `${used === null ? '—' : (used / GB).toFixed(1)} / ${total === null ? '—' : (total / GB).toFixed(0)} GB`;
    const tr = row([
      'GPU ' + text(g.index),
      text(g.type),
      bar(total && used !== null ? used / total : null, memLabel, 'memory'),
      bar(num(g.utilisation), num(g.utilisation) === null ? '—' : Math.round(g.utilisation * 100) + ' %', 'utilisation'),
    ]);
    return tr;
  }

  function deploymentRow(d) {
    const status = badge(d.status, 'status');
    if (d.reason) status.title = String(d.reason);
    const cells = [text(d.model), text(d.gpu), status, count(d.concurrency), `${count(d.queued)} / ${count(d.running)}`];
    const tr = row(cells);
    if (d.reason) {
      const reason = el('tr', 'reason');
      const td = el('td', '', String(d.reason));
      td.colSpan = cells.length;
      reason.append(td);
      return [tr, reason];
    }
    return [tr];
  }

  function table(headers, rows, className) {
    const t = el('table', className);
    const head = el('tr');
    for (const h of headers) head.append(el('th', '', h));
    t.append(el('thead'), el('tbody'));
    t.tHead.append(head);
    for (const r of rows) t.tBodies[0].append(r);
    return t;
  }

  function serverCard(srv, citySeconds) {
    const card = el('article', 'card');
    if (srv.draining) card.classList.add('draining');
    const head = el('div', 'card-head');
    head.append(el('h3', '', text(srv.id)), el('span', 'site', text(srv.site)));
    if (srv.draining) head.append(badge('draining', 'draining'));
    const hb = num(srv.heartbeatCitySeconds);
    const age = hb !== null && num(citySeconds) !== null ? citySeconds - hb : null;
    const beat = el('span', 'heartbeat', hb === null ? 'no heartbeat yet'
      : `heartbeat ${fixed(hb, 0)} s` + (age === null ? '' : ` (${fixed(Math.max(0, age), 0)} s ago)`));
    if (age !== null && age > 60) beat.classList.add('stale');
    head.append(beat);
    card.append(head);

    const gpus = arr(srv.gpus);
    card.append(gpus.length ? table(['GPU', 'Type', 'Memory', 'Utilisation'], gpus.map(gpuRow), 'gpus')
      : el('p', 'empty', 'No GPU reported.'));
    const deployments = arr(srv.deployments);
    card.append(deployments.length
      ? table(['Model', 'GPU', 'Status', 'Conc.', 'Queued / running'], deployments.flatMap(deploymentRow), 'deployments')
      : el('p', 'empty', 'Nothing deployed.'));
    return card;
  }

  function renderServers(s) {
    const servers = arr(s.servers);
    // The heartbeat's age moves with the city clock, so the cards redraw on every poll that changes either.
    if (!changed('servers', [servers, Math.floor(num(s.citySeconds) ?? 0)])) return;
    $('servers').replaceChildren(...servers.map((srv) => serverCard(obj(srv), s.citySeconds)));
    $('servers-empty').hidden = servers.length > 0;
    const draining = servers.filter((x) => x && x.draining).length;
    $('server-count').textContent = servers.length ? `(${servers.length}${draining ? `, ${draining} draining` : ''})` : '';
  }

  // ---- decisions ----

  /** Long text clipped to one line; a click (or Enter) shows all of it, and the full text is its tooltip. */
  function clipped(value, key) {
    const full = text(value);
    const span = el('span', 'clip', full);
    if (full.length <= CLIP_CHARS) return span;
    span.title = full;
    span.tabIndex = 0;
    span.classList.add('long');
    span.classList.toggle('open', expanded.has(key));
    const toggle = () => {
      span.classList.toggle('open');
      if (span.classList.contains('open')) expanded.add(key); else expanded.delete(key);
    };
    span.addEventListener('click', toggle);
    span.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); }
    });
    return span;
  }

  function renderDecisions(s) {
    const decisions = arr(s.decisions).map(obj);
    if (!changed('decisions', decisions)) return;
    const latestFirst = decisions
      .map((d, i) => ({ d, i }))
      .sort((a, b) => (num(b.d.citySeconds) ?? -Infinity) - (num(a.d.citySeconds) ?? -Infinity) || b.i - a.i)
      .slice(0, MAX_DECISIONS)
      .map((x) => x.d);
    const body = $('decisions').tBodies[0];
    body.replaceChildren(...latestFirst.map((d) => {
      const key = [d.citySeconds, d.agent, d.scope, d.brain].join('|');
      return row([
        fixed(d.citySeconds, 1, ' s'), text(d.agent), text(d.scope), text(d.brain), badge(d.guardVerdict, 'verdict'),
        clipped(d.decision, key + '|decision'), clipped(d.rationale, key + '|rationale'),
      ]);
    }));
    $('decisions-empty').hidden = decisions.length > 0;
  }

  // ---- polling ----

  function setProblem(message) {
    const note = $('connection');
    note.hidden = message === null;
    note.textContent = message === null ? '' : message;
    document.body.classList.toggle('disconnected', message !== null);
  }

  function render(s) {
    renderHeader(s);
    renderSlowdown(s);
    renderServers(s);
    renderDecisions(s);
    renderCharts(s);
  }

  async function poll() {
    let state;
    try {
      const res = await fetch('api/state', { cache: 'no-store' });
      if (!res.ok) {
        // The dashboard answers but has no state (503 while the lab starts or its state fails).
        const reason = (await res.text()).trim();
        throw new Error(`No lab state: HTTP ${res.status}${reason ? ' ' + reason : ''}; retrying every second…`);
      }
      state = obj(await res.json());
    } catch (e) {
      setProblem(e instanceof TypeError ? 'Connection lost: the lab does not answer; retrying every second…'
        : e.message);
      setTimeout(poll, POLL_MS);
      return;
    }
    try {
      render(state);
      updates += 1;
      document.body.dataset.updates = String(updates);
      $('updates').textContent = String(updates);
      $('last-update').textContent = new Date().toLocaleTimeString('en-GB');
      setProblem(null);
    } catch (e) {
      setProblem(`Could not draw the state: ${e.message}`);
      console.error(e);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(resizeCharts, 150);
  });

  poll();
})();

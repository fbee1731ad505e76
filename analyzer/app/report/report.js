// quartet's HTML report: reads the data blocks quartet wrote into the page and draws the
// capture facts, latency histograms, the sessions table, one sequence diagram per session
// and the problems list. Plain DOM and SVG, no library, no network. Every value from the
// capture reaches the page through textContent or an attribute, never as markup.
// Data layout (written by analyzer/app/output_html.cpp):
//   #q-summary   {files, packets, tcp, sessions, other, start, end, warnings, protocols,
//                 totals, response_times, problem_kinds, problems, problems_dropped, blocks}
//   #q-sessions  [[id, protocol, client, server, start_s, duration_us, state, msgs_c, msgs_s,
//                  p50_us, p99_us, max_us, problems, tls, bytes_c, bytes_s, note], ...]
//   #q-messages  per block (up to 256 sessions, fewer when their messages reach 1 MiB; summary.blocks
//                holds each block's first row), gzip + base64 of one JSON line per session (same order):
//                [entry, ...] where an entry is
//                [0, t_us, from, name, summary, response_to, latency_us, length, fields, problems, kind]
//                (a message) or [1, t_us, from, kind, text] (an event); from -1 = neither side
'use strict';
(function () {
  const PAGE = 50;          // table rows per page
  const ROW_H = 30;         // px between diagram entries
  const FULL_RENDER = 2000; // sessions with more entries are drawn only where visible
  const SVGNS = 'http://www.w3.org/2000/svg';
  const S = { ID: 0, PROTO: 1, CLIENT: 2, SERVER: 3, START: 4, DUR: 5, STATE: 6, MC: 7, MS: 8,
              P50: 9, P99: 10, MAX: 11, PROBLEMS: 12, TLS: 13, BC: 14, BS: 15, NOTE: 16 };

  // ---- small helpers --------------------------------------------------------------
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) {
      if (k === 'class') e.className = attrs[k];
      else if (k === 'on') for (const ev in attrs.on) e.addEventListener(ev, attrs.on[ev]);
      else e.setAttribute(k, attrs[k]);
    }
    for (const kid of kids) if (kid !== null && kid !== undefined)
      e.appendChild(typeof kid === 'object' ? kid : document.createTextNode(String(kid)));
    return e;
  }
  function sv(tag, attrs, text) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function dur(us) {
    if (us === null || us === undefined || us < 0) return '–';
    if (us < 1000) return us.toFixed(us < 10 ? 3 : 1) + ' µs';
    if (us < 1e6) return (us / 1e3).toFixed(3) + ' ms';
    return (us / 1e6).toFixed(3) + ' s';
  }
  function utc(s) {
    if (s === null || s === undefined) return '–';
    const d = new Date(s * 1000);
    return isNaN(d.getTime()) ? String(s) : d.toISOString().replace('T', ' ').replace('Z', ' UTC');
  }
  function data(id) { return document.getElementById(id).textContent; }
  function clip(s, n) { return s.length > n ? s.slice(0, n - 1) + '…' : s; }

  // ---- data -----------------------------------------------------------------------
  const summary = JSON.parse(data('q-summary'));
  const sessions = JSON.parse(data('q-sessions'));
  // The messages: one line per block of sessions, gzip + base64 of their JSON lines
  // (output_html.cpp); summary.blocks holds each block's first row, ascending. A block is
  // decompressed and parsed when one of its sessions is opened.
  const blocks = data('q-messages').split('\n').filter(l => l.length);
  const blockStarts = summary.blocks;
  function blockOf(row) {  // the last block starting at or before the row
    let lo = 0, hi = blockStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (blockStarts[mid] <= row) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  const blockCache = new Map();
  async function blockLines(b) {
    let lines = blockCache.get(b);
    if (!lines) {
      const bin = atob(blocks[b]);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
      lines = text.split('\n');
      if (blockCache.size > 8) blockCache.delete(blockCache.keys().next().value);
      blockCache.set(b, lines);
    }
    return lines;
  }
  async function entriesOf(row) {
    const b = blockOf(row);
    return JSON.parse((await blockLines(b))[row - blockStarts[b]]);
  }
  function fail(e) { console.error('quartet report: ' + (e && e.stack || e)); }
  const protoName = i => summary.protocols[i] || '?';

  const app = document.getElementById('app');
  app.textContent = '';

  // ---- capture facts ----------------------------------------------------------------
  function facts() {
    const sec = el('section', { id: 'facts' }, el('h1', {}, 'quartet report'));
    const dl = el('dl', { class: 'facts' });
    const add = (k, v) => { dl.appendChild(el('dt', {}, k)); dl.appendChild(el('dd', {}, v)); };
    add('files', summary.files.join(', ') || '–');
    add('packets', summary.packets.toLocaleString('en'));
    add('TCP connections', summary.tcp.toLocaleString('en') + ' (' + summary.other.toLocaleString('en') + ' not ours)');
    const per = summary.totals.filter(t => t[1] > 0).map(t => protoName(t[0]) + ' ' + t[1].toLocaleString('en') +
      (t[2] ? ' (' + t[2] + ' TLS)' : '') + ', ' + t[3].toLocaleString('en') + ' messages').join(' · ');
    add('sessions', summary.sessions.toLocaleString('en') + (per ? ' — ' + per : ''));
    add('time span', summary.start === null ? '–' : utc(summary.start) + ' → ' + utc(summary.end) + ' (' +
      dur((summary.end - summary.start) * 1e6) + ')');
    const nw = summary.warnings.length + summary.warnings_dropped;
    add('capture warnings', nw ? String(nw) : 'none');
    sec.appendChild(dl);
    if (summary.warnings.length) {
      const ul = el('ul', { class: 'warnings' });
      for (const w of summary.warnings) ul.appendChild(el('li', {}, w));
      if (summary.warnings_dropped) ul.appendChild(el('li', {}, '… and ' + summary.warnings_dropped + ' more'));
      sec.appendChild(ul);
    }
    return sec;
  }

  // ---- latency histograms -------------------------------------------------------------
  // Bin 0: under 1 µs; bin i >= 1: [10^((i-1)/5), 10^(i/5)) µs (response_times.hpp).
  function histogram(row) {
    const bins = row[8];
    let lo = bins.findIndex(b => b > 0), hi = bins.length - 1;
    while (hi > 0 && bins[hi] === 0) hi--;
    if (lo < 0) { lo = 0; hi = 0; }
    lo = lo <= 1 ? 0 : Math.floor((lo - 1) / 5) * 5 + 1;                 // from a decade's start
    hi = Math.min(bins.length - 1, Math.max(Math.ceil(hi / 5) * 5 + 1, lo + 10)); // to one's end
    const W = 420, H = 120, L = 36, B = 22, n = hi - lo + 1, bw = (W - L - 6) / n;
    const peak = Math.max(1, ...bins.slice(lo, hi + 1));
    const svg = sv('svg', { width: W, height: H + B, class: 'hist', viewBox: '0 0 ' + W + ' ' + (H + B) });
    const xOfUs = us => { // position of a latency on the same log axis
      const b = us < 1 ? 0 : 1 + Math.log10(us) * 5;
      return L + (Math.min(Math.max(b, lo), hi + 1) - lo) * bw;
    };
    svg.appendChild(sv('line', { x1: L, y1: H, x2: W - 4, y2: H, class: 'axis' }));
    svg.appendChild(sv('text', { x: L - 4, y: 10, class: 'tick', 'text-anchor': 'end' }, String(peak)));
    for (let i = lo; i <= hi; i++) {
      const h = bins[i] / peak * (H - 12);
      if (bins[i] > 0) {
        const r = sv('rect', { x: L + (i - lo) * bw + 1, y: H - h, width: Math.max(1, bw - 2), height: h, class: 'bar' });
        r.appendChild(sv('title', {}, bins[i] + ' response(s) ' + (i === 0 ? 'under 1 µs' :
          dur(Math.pow(10, (i - 1) / 5)) + ' – ' + dur(Math.pow(10, i / 5)))));
        svg.appendChild(r);
      }
      if (i >= 1 && (i - 1) % 5 === 0) { // a decade
        const x = L + (i - lo) * bw;
        svg.appendChild(sv('line', { x1: x, y1: H, x2: x, y2: H + 4, class: 'axis' }));
        svg.appendChild(sv('text', { x: x, y: H + 16, class: 'tick', 'text-anchor': 'middle' },
          dur(Math.pow(10, (i - 1) / 5)).replace('.000', '')));
      }
    }
    [['p50', row[4]], ['p90', row[5]], ['p99', row[6]]].forEach(([name, us], k) => {
      if (!row[2]) return;
      const x = xOfUs(us);
      svg.appendChild(sv('line', { x1: x, y1: 4, x2: x, y2: H, class: 'pct pct' + k }));
      svg.appendChild(sv('text', { x: x + 2, y: 12 + 10 * k, class: 'tick' }, name));
    });
    return svg;
  }
  function latencies() {
    const sec = el('section', { id: 'latency' }, el('h2', {}, 'Response times'));
    if (!summary.response_times.length) sec.appendChild(el('p', {}, 'No requests.'));
    const tbl = el('table', { class: 'rt' }, el('thead', {}, el('tr', {},
      ...['protocol', 'request', 'count', 'p50', 'p90', 'p99', 'max', 'unanswered'].map(h => el('th', {}, h)))));
    const tb = el('tbody');
    const cards = el('div', { class: 'cards' });
    for (const r of summary.response_times) {
      const has = r[2] > 0;
      // r[9]: the percentiles' largest relative error, 0 when exact (a run with very many
      // distinct latencies keeps them rounded); count, max and the histogram are exact.
      const pct = us => (r[9] > 0 ? '≈' : '') + dur(us);
      const note = r[9] > 0 ? { title: 'within ' + (r[9] * 100).toPrecision(3) + ' % of the exact value' } : {};
      tb.appendChild(el('tr', { class: 'rt-row' }, el('td', {}, protoName(r[0])), el('td', {}, r[1]),
        el('td', { class: 'num' }, r[2]),
        ...[r[4], r[5], r[6]].map(v => el('td', Object.assign({ class: 'num' }, note), has ? pct(v) : '–')),
        el('td', { class: 'num' }, has ? dur(r[7]) : '–'), el('td', { class: 'num' }, r[3])));
      if (has) cards.appendChild(el('figure', { class: 'rt-card' }, histogram(r),
        el('figcaption', {}, protoName(r[0]) + ' ' + r[1] + ' — ' + r[2] + ' answered, p50 ' + pct(r[4]) +
          ', p99 ' + pct(r[6]) + ', max ' + dur(r[7]))));
    }
    tbl.appendChild(tb);
    if (summary.response_times.length) { sec.appendChild(tbl); sec.appendChild(cards); }
    return sec;
  }

  // ---- sessions table ---------------------------------------------------------------
  const COLS = [
    ['#', S.ID, 'num'], ['protocol', r => protoName(r[S.PROTO]) + (r[S.TLS] === 2 ? '+TLS' : r[S.TLS] ? '/TLS' : '')],
    ['client', S.CLIENT], ['server', S.SERVER], ['start', S.START, 'time'], ['duration', S.DUR, 'dur'],
    ['msgs →', S.MC, 'num'], ['msgs ←', S.MS, 'num'], ['p50', S.P50, 'dur'], ['p99', S.P99, 'dur'],
    ['max', S.MAX, 'dur'], ['problems', S.PROBLEMS, 'num'], ['state', S.STATE]];
  const view = { proto: -1, text: '', sort: 0, desc: false, page: 0, rows: null };
  let haystack = null;
  function applyView() {
    let rows = [];
    const t = view.text.toLowerCase();
    if (t && !haystack) haystack = sessions.map(r => ('#' + r[S.ID] + ' ' + protoName(r[S.PROTO]) + ' ' + r[S.CLIENT] +
      ' ' + r[S.SERVER] + ' ' + r[S.STATE] + ' ' + r[S.NOTE]).toLowerCase());
    for (let i = 0; i < sessions.length; i++) {
      if (view.proto >= 0 && sessions[i][S.PROTO] !== view.proto) continue;
      if (t && !haystack[i].includes(t)) continue;
      rows.push(i);
    }
    const c = COLS[view.sort][1];
    const key = typeof c === 'function' ? (i => c(sessions[i])) : (i => sessions[i][c]);
    rows.sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : a - b) * (view.desc ? -1 : 1); });
    view.rows = rows;
  }
  const tableBody = el('tbody');
  const pageInfo = el('span', { class: 'pageinfo' });
  const headRow = el('tr');
  function cell(r, c) {
    const v = typeof c[1] === 'function' ? c[1](r) : r[c[1]];
    if (c[2] === 'dur') return dur(v);
    if (c[2] === 'time') return utc(v);
    return v;
  }
  function drawTable() {
    tableBody.textContent = '';
    const n = view.rows.length, pages = Math.max(1, Math.ceil(n / PAGE));
    view.page = Math.min(view.page, pages - 1);
    const from = view.page * PAGE;
    for (const i of view.rows.slice(from, from + PAGE)) {
      const r = sessions[i];
      const tr = el('tr', { 'data-session': r[S.ID], 'data-row': i, class: r[S.PROBLEMS] ? 'has-problems' : '',
        on: { click: () => showSession(i).catch(fail) } });
      for (const c of COLS) tr.appendChild(el('td', { class: c[2] === 'num' || c[2] === 'dur' ? 'num' : '' }, cell(r, c)));
      tableBody.appendChild(tr);
    }
    pageInfo.textContent = n ? (from + 1) + '–' + Math.min(n, from + PAGE) + ' of ' + n.toLocaleString('en') +
      ' sessions (page ' + (view.page + 1) + ' of ' + pages + ')' : 'no session matches';
    headRow.querySelectorAll('th').forEach((th, k) => {
      th.className = k === view.sort ? (view.desc ? 'sorted desc' : 'sorted asc') : '';
    });
  }
  function table() {
    const sec = el('section', { id: 'sessions' }, el('h2', {}, 'Sessions'));
    const sel = el('select', { id: 'filter-protocol', on: { change: e => {
      view.proto = Number(e.target.value); view.page = 0; applyView(); drawTable(); } } },
      el('option', { value: -1 }, 'all protocols'));
    summary.protocols.forEach((p, i) => { if (sessions.some(r => r[S.PROTO] === i)) sel.appendChild(el('option', { value: i }, p)); });
    let timer = 0;
    const input = el('input', { id: 'filter-text', type: 'search', placeholder: 'filter: address, port, #id, state…',
      on: { input: e => { clearTimeout(timer); timer = setTimeout(() => {
        view.text = e.target.value.trim(); view.page = 0; applyView(); drawTable(); }, 120); } } });
    const pager = (d, label, id) => el('button', { id: id, on: { click: () => {
      view.page = Math.max(0, view.page + d); drawTable(); } } }, label);
    sec.appendChild(el('div', { class: 'controls' }, sel, input, pager(-1, '‹ previous', 'page-prev'),
      pager(1, 'next ›', 'page-next'), pageInfo));
    COLS.forEach((c, k) => headRow.appendChild(el('th', { on: { click: () => {
      view.desc = view.sort === k ? !view.desc : false; view.sort = k; applyView(); drawTable(); } } }, c[0])));
    sec.appendChild(el('table', { class: 'sessions', id: 'sessions-table' }, el('thead', {}, headRow), tableBody));
    applyView();
    drawTable();
    return sec;
  }

  // ---- sequence diagram -------------------------------------------------------------
  const diagram = el('section', { id: 'diagram', hidden: '' });
  const details = el('aside', { id: 'details' });
  let current = null; // {row, entries, ys, svg, scroller, compress}
  const XT = 8, XC = 170, XS = 580, WIDTH = 840;
  function layout(entries, compress) {
    const ys = new Float64Array(entries.length), breaks = [];
    const n = entries.length, total = n ? Math.max(1, entries[n - 1][1] - entries[0][1]) : 1;
    const scale = Math.max(1, n) * ROW_H / total; // px per µs: on average one row per entry
    let y = 40, prev = n ? entries[0][1] : 0;
    for (let i = 0; i < n; i++) {
      const dt = entries[i][1] - prev;
      let step = i ? Math.max(ROW_H, dt * scale) : 0;
      if (compress && step > 3 * ROW_H) { breaks.push([y + ROW_H, dt]); step = 3 * ROW_H; }
      y += step; ys[i] = y; prev = entries[i][1];
    }
    return { ys, breaks, height: y + 60 };
  }
  function arrowLabel(e, i) { return '[' + i + '] ' + clip(e[4] || e[3], 70); }
  function drawRange(top, bottom) {
    const { entries, ys, breaks, svg } = current;
    svg.textContent = '';
    const defs = sv('defs');
    for (const [id, cls] of [['ah', 'arrowhead'], ['ahr', 'arrowhead resp']]) {
      const m = sv('marker', { id: id, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
      m.appendChild(sv('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
      defs.appendChild(m);
    }
    svg.appendChild(defs);
    svg.setAttribute('viewBox', '0 ' + top + ' ' + WIDTH + ' ' + (bottom - top));
    svg.setAttribute('height', bottom - top);
    svg.style.top = top + 'px';
    svg.appendChild(sv('line', { x1: XC, y1: top, x2: XC, y2: bottom, class: 'lane' }));
    svg.appendChild(sv('line', { x1: XS, y1: top, x2: XS, y2: bottom, class: 'lane' }));
    if (top <= 30) {
      const r = sessions[current.row];
      svg.appendChild(sv('text', { x: XC, y: 20, class: 'lanehead', 'text-anchor': 'middle' }, 'client ' + r[S.CLIENT]));
      svg.appendChild(sv('text', { x: XS, y: 20, class: 'lanehead', 'text-anchor': 'middle' }, 'server ' + r[S.SERVER]));
    }
    for (const [y, dt] of breaks) if (y >= top - ROW_H && y <= bottom + ROW_H) {
      svg.appendChild(sv('rect', { x: XT, y: y - 6, width: WIDTH - 2 * XT, height: 12, class: 'idle' }));
      svg.appendChild(sv('text', { x: (XC + XS) / 2, y: y + 4, class: 'idletext', 'text-anchor': 'middle' }, '⋯ ' + dur(dt) + ' idle ⋯'));
    }
    // entries in view (binary search for the first)
    let lo = 0, hi = entries.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (ys[m] < top - ROW_H) lo = m + 1; else hi = m; }
    const byIndex = current.byIndex;
    for (let k = lo; k < entries.length && ys[k] <= bottom + ROW_H; k++) {
      const e = entries[k], y = ys[k];
      svg.appendChild(sv('text', { x: XT, y: y + 4, class: 'time' }, '+' + (e[1] / 1e6).toFixed(6) + ' s'));
      if (e[0] === 1) { drawEvent(svg, e, y); continue; }
      const idx = current.msgIndex[k];
      const g = sv('g', { class: 'msg' + (e[9].length ? ' bad' : '') + (e[5] >= 0 ? ' response' : ''), 'data-index': idx, 'data-entry': k, tabindex: 0 });
      const x1 = e[2] === 0 ? XC : XS, x2 = e[2] === 0 ? XS : XC;
      g.appendChild(sv('line', { x1: x1, y1: y, x2: x2, y2: y, class: 'hit' }));
      g.appendChild(sv('line', { x1: x1, y1: y, x2: x2, y2: y, class: 'arrow', 'marker-end': e[5] >= 0 ? 'url(#ahr)' : 'url(#ah)' }));
      g.appendChild(sv('text', { x: (XC + XS) / 2, y: y - 5, 'text-anchor': 'middle', class: 'label' }, arrowLabel(e, idx)));
      g.appendChild(sv('title', {}, '[' + idx + '] ' + (e[4] || e[3])));
      if (e[9].length) {
        g.appendChild(sv('circle', { cx: XC - 14, cy: y, r: 7, class: 'problem' }));
        g.appendChild(sv('text', { x: XC - 14, y: y + 4, 'text-anchor': 'middle', class: 'problemmark' }, '!'));
      }
      g.addEventListener('click', () => select(k));
      g.addEventListener('keydown', ev => { if (ev.key === 'Enter') select(k); });
      if (current.selected === k) g.classList.add('selected');
      svg.appendChild(g);
      // dotted link back to the request this answers, with the latency
      if (e[5] >= 0 && byIndex.has(e[5])) {
        const rk = byIndex.get(e[5]), ry = ys[rk], span = y - ry, bulge = Math.min(240, 20 + span * 0.15);
        const link = sv('path', { d: 'M' + XS + ',' + y + ' C' + (XS + bulge) + ',' + y + ' ' + (XS + bulge) + ',' + ry + ' ' + XS + ',' + ry, class: 'link' });
        svg.appendChild(link);
        if (e[6] >= 0) svg.appendChild(sv('text', { x: XS + 8, y: y - 4, class: 'latency' }, dur(e[6])));
      }
    }
  }
  function drawEvent(svg, e, y) {
    const kind = e[3];
    const cls = kind === 'gap' ? 'ev gap' : kind === 'warning' ? 'ev warning' : kind.startsWith('tls') ? 'ev tls' : 'ev';
    const g = sv('g', { class: cls, 'data-kind': kind });
    if (kind === 'gap' || kind === 'tls_start') g.appendChild(sv('line', { x1: XC - 30, y1: y, x2: XS + 30, y2: y, class: 'band' }));
    const x = e[2] === 0 ? XC + 6 : e[2] === 1 ? XS - 6 : (XC + XS) / 2;
    const anchor = e[2] === 0 ? 'start' : e[2] === 1 ? 'end' : 'middle';
    const label = (kind === 'gap' ? 'gap: ' : kind === 'warning' ? '! ' : kind === 'phase' ? 'phase: ' : kind.startsWith('tls') ? 'TLS: ' : '') + e[4];
    g.appendChild(sv('text', { x: x, y: y + 4, 'text-anchor': anchor }, clip(label, 90)));
    g.appendChild(sv('title', {}, kind + ': ' + e[4]));
    svg.appendChild(g);
  }
  function redraw() {
    if (!current) return;
    const sc = current.scroller;
    if (current.entries.length <= FULL_RENDER) {
      if (!current.drawn) drawRange(0, current.height);
      current.drawn = true;
      return;
    }
    const top = Math.max(0, sc.scrollTop - 400), bottom = Math.min(current.height, sc.scrollTop + sc.clientHeight + 400);
    drawRange(top, bottom);
  }
  function select(k) {
    current.selected = k;
    current.svg.querySelectorAll('g.msg.selected').forEach(g => g.classList.remove('selected'));
    const g = current.svg.querySelector('g.msg[data-entry="' + k + '"]');
    if (g) g.classList.add('selected');
    showDetails(current.entries[k], k);
  }
  function showDetails(e, k) {
    details.textContent = '';
    if (e[0] === 1) {
      details.appendChild(el('h3', {}, e[3]));
      details.appendChild(el('p', {}, e[4]));
      return;
    }
    const idx = current.msgIndex[k];
    details.appendChild(el('h3', {}, '[' + idx + '] ' + e[3]));
    details.appendChild(el('p', { class: 'summary' }, e[4]));
    const dl = el('dl', { class: 'meta' });
    const add = (a, b) => { dl.appendChild(el('dt', {}, a)); dl.appendChild(el('dd', {}, b)); };
    add('from', e[2] === 0 ? 'client' : 'server');
    add('time', '+' + (e[1] / 1e6).toFixed(6) + ' s');
    add('length', e[7] + ' bytes');
    if (e[10]) add('request kind', e[10]);
    if (e[5] >= 0) add('answers', '[' + e[5] + '] after ' + dur(e[6]));
    details.appendChild(dl);
    if (e[9].length) {
      const ul = el('ul', { class: 'problems' });
      for (const p of e[9]) ul.appendChild(el('li', { class: 'sev' + p[1] }, p[0] + ': ' + p[2]));
      details.appendChild(ul);
    }
    const tb = el('tbody');
    for (const key of Object.keys(e[8])) {
      const v = e[8][key];
      tb.appendChild(el('tr', {}, el('th', {}, key), el('td', {}, Array.isArray(v) ? v.map(x => JSON.stringify(x)).join(', ') : JSON.stringify(v))));
    }
    details.appendChild(el('table', { class: 'fields', id: 'fields' }, tb));
  }
  async function showSession(row, entry) {
    const r = sessions[row];
    const entries = await entriesOf(row);
    diagram.hidden = false;
    diagram.textContent = '';
    const compressBox = el('input', { type: 'checkbox', id: 'compress', checked: '' });
    diagram.appendChild(el('h2', {}, 'Session #' + r[S.ID] + ' — ' + protoName(r[S.PROTO]) + ' ' + r[S.CLIENT] + ' → ' + r[S.SERVER]));
    diagram.appendChild(el('p', { class: 'sessinfo' }, utc(r[S.START]) + ' · ' + dur(r[S.DUR]) + ' · ' + r[S.STATE] +
      ' · ' + r[S.MC] + '→ ' + r[S.MS] + '← messages · ' + r[S.BC] + '→ ' + r[S.BS] + '← bytes',
      el('label', {}, compressBox, ' compress idle stretches'),
      el('button', { on: { click: () => { diagram.hidden = true; current = null; } } }, 'close')));
    const scroller = el('div', { class: 'scroller', id: 'diagram-scroller' });
    const svg = sv('svg', { class: 'seq', width: WIDTH, id: 'seq' });
    const msgIndex = [], byIndex = new Map();
    let m = 0;
    entries.forEach((e, k) => { if (e[0] === 0) { msgIndex[k] = m; byIndex.set(m, k); m++; } });
    const body = el('div', { class: 'seqbody' });
    body.appendChild(svg);
    scroller.appendChild(body);
    diagram.appendChild(el('div', { class: 'seqwrap' }, scroller, details));
    details.textContent = '';
    details.appendChild(el('p', { class: 'hint' }, 'Click a message to see its decoded fields.'));
    current = { row, entries, svg, scroller, msgIndex, byIndex, selected: -1 };
    const relayout = () => {
      Object.assign(current, layout(entries, compressBox.checked));
      current.drawn = false;
      body.style.height = current.height + 'px';
      redraw();
    };
    compressBox.addEventListener('change', relayout);
    let pending = false;
    scroller.addEventListener('scroll', () => {
      if (pending || entries.length <= FULL_RENDER) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; redraw(); });
    });
    relayout();
    diagram.scrollIntoView({ block: 'start' });
    if (entry !== undefined) {
      scroller.scrollTop = Math.max(0, current.ys[entry] - 100);
      redraw();
      select(entry);
    }
  }

  // ---- problems -----------------------------------------------------------------------
  function problems() {
    const sec = el('section', { id: 'problems' }, el('h2', {}, 'Problems'));
    const kinds = Object.keys(summary.problem_kinds);
    if (!kinds.length) { sec.appendChild(el('p', {}, 'None.')); return sec; }
    const byKind = new Map();
    for (const p of summary.problems) {
      if (!byKind.has(p[2])) byKind.set(p[2], []);
      byKind.get(p[2]).push(p);
    }
    kinds.sort((a, b) => summary.problem_kinds[b] - summary.problem_kinds[a]);
    for (const k of kinds) {
      const list = byKind.get(k) || [];
      const det = el('details', { class: 'problem-kind', 'data-kind': k }, el('summary', {}, k + ' (' + summary.problem_kinds[k] + ')'));
      det.addEventListener('toggle', () => {
        if (!det.open || det.querySelector('ul')) return;
        const ul = el('ul');
        for (const p of list.slice(0, 500)) {
          const r = sessions[p[0]];
          ul.appendChild(el('li', {}, el('a', { href: '#', on: { click: ev => { ev.preventDefault(); showSession(p[0], p[1]).catch(fail); } } },
            '#' + r[S.ID] + ' ' + protoName(r[S.PROTO])), ' ' + p[3]));
        }
        if (list.length > 500 || list.length < summary.problem_kinds[k])
          ul.appendChild(el('li', {}, '… ' + (summary.problem_kinds[k] - Math.min(500, list.length)) + ' more not listed'));
        det.appendChild(ul);
      });
      sec.appendChild(det);
    }
    if (summary.problems_dropped) sec.appendChild(el('p', {}, summary.problems_dropped + ' problems beyond the first ' +
      summary.problems.length + ' are counted but not listed.'));
    return sec;
  }

  app.appendChild(facts());
  app.appendChild(latencies());
  app.appendChild(table());
  app.appendChild(diagram);
  app.appendChild(problems());
  document.body.setAttribute('data-ready', '1');
  window.quartetReady = performance.now();
})();

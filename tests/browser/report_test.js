#!/usr/bin/env node
// The HTML report in a real browser (Debian's chromium, headless). For one capture:
// quartet writes the report and, independently, its JSONL and text summary; the page
// must load with no console error, no exception and no request; its sessions table
// must have the JSONL's sessions (also filtered by protocol and by text, and sorted);
// the busiest session's diagram must have one arrow per JSONL message, and clicking a
// message must show the JSONL's fields for it; the response-time numbers must be the
// text summary's and agree with latencies recomputed from the JSONL, and a row the run
// rounded must show its percentiles as such (roundedRow); problem links must lead to
// their message. The first and last session of every compressed block of messages must
// open with their JSONL messages (the page finds a session's block from summary.blocks).
// A screenshot is saved in the work folder.
//
//   report_test.js QUARTET WORKDIR CAPTURE [quartet options...]
//   report_test.js --hostile QUARTET WORKDIR CAPTURE   (capture with script-like values)
//   report_test.js --min-blocks N QUARTET WORKDIR CAPTURE [...]   (the report must have N blocks at least)
'use strict';
const assert = require('assert/strict');
const fs = require('fs');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { launch, watchedPage } = require('./chromium');

let argv = process.argv.slice(2);
const hostile = argv[0] === '--hostile';
if (hostile) argv = argv.slice(1);
let minBlocks = 1;
if (argv[0] === '--min-blocks') {
  minBlocks = Number(argv[1]);
  argv = argv.slice(2);
}
const [quartet, workdir, capture, ...extra] = argv;
fs.mkdirSync(workdir, { recursive: true });
const base = path.basename(capture).replace(/[^A-Za-z0-9_.-]/g, '_');
const htmlPath = path.resolve(workdir, base + '.html');

function run(args) {
  const r = spawnSync(quartet, args, { maxBuffer: 1 << 30, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, 'quartet ' + args.join(' ') + ' failed: ' + r.stderr);
  return r.stdout;
}
run(['--format', 'html', '-o', htmlPath, ...extra, capture]);
const jsonl = run(['--format', 'jsonl', '--no-progress', ...extra, capture]).split('\n').filter(Boolean).map(l => JSON.parse(l));
const text = run(['--summary', ...extra, capture]);
const jSessions = jsonl.filter(o => o.type === 'session');
const jMessages = jsonl.filter(o => o.type === 'message');
const ep = e => (e.ip.includes(':') ? '[' + e.ip + ']' : e.ip) + ':' + e.port;

// The text summary's response-time table: proto, kind, count, p50, p90, p99, max (ms), unanswered.
function textResponseTimes() {
  const lines = text.split('\n');
  const at = lines.findIndex(l => l.trim() === 'response times (ms):');
  if (at < 0) return [];
  const rows = [];
  for (const l of lines.slice(at + 2)) {
    // proto, request kind, count, min, p50, p90, p99, max, mean, unanswered
    const m = l.match(/^\s{5}(\S+)\s+(.+?)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+)$/);
    if (!m) break;
    // A row the run rounded (more distinct latencies than kept) marks its percentiles with ~.
    const pct = v => v.replace(/^~/, '');
    rows.push({ proto: m[1], kind: m[2], count: +m[3], min: m[4], p50: pct(m[5]), p90: pct(m[6]), p99: pct(m[7]), max: m[8],
                mean: m[9], unanswered: +m[10], rounded: m[5].startsWith('~') });
  }
  return rows;
}

// "12.345 ms" -> microseconds; "–" -> null
function parseDur(t) {
  const m = t.match(/^([\d.]+) (µs|ms|s)$/);
  if (!m) return null;
  return Number(m[1]) * { 'µs': 1, ms: 1e3, s: 1e6 }[m[2]];
}

function nearestRank(sorted, q) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q / 100 * sorted.length))) - 1];
}

async function tableRows(page) {
  return page.$$eval('#sessions-table tbody tr', trs => trs.map(tr => [...tr.children].map(td => td.textContent)));
}
async function pageInfo(page) { return page.$eval('.pageinfo', e => e.textContent); }
async function allRows(page) {
  const rows = [];
  await page.evaluate(() => { while (document.querySelector('.pageinfo').textContent.match(/page (\d+)/)[1] !== '1') document.getElementById('page-prev').click(); });
  for (;;) {
    rows.push(...await tableRows(page));
    const info = await pageInfo(page);
    const m = info.match(/page (\d+) of (\d+)/);
    if (!m || m[1] === m[2]) break;
    await page.click('#page-next');
  }
  return rows;
}
function matchCount(info) {
  const m = info.match(/of ([\d,]+) sessions/);
  return m ? Number(m[1].replace(/,/g, '')) : 0;
}

// Clicks the session's table row and waits until its diagram is drawn.
async function openSession(page, id) {
  const clicked = await page.evaluate(i => {
    while (document.querySelector('.pageinfo').textContent.match(/page (\d+)/)[1] !== '1') document.getElementById('page-prev').click();
    for (;;) {
      const tr = document.querySelector('#sessions-table tbody tr[data-session="' + i + '"]');
      if (tr) { tr.click(); return true; }
      const m = document.querySelector('.pageinfo').textContent.match(/page (\d+) of (\d+)/);
      if (!m || m[1] === m[2]) return false;
      document.getElementById('page-next').click();
    }
  }, id);
  assert.ok(clicked, 'session #' + id + ' is in the table');
  await page.waitForFunction(i => {
    const h2 = document.querySelector('#diagram h2');
    return h2 && h2.textContent.startsWith('Session #' + i + ' ') && document.querySelector('#seq g.msg');
  }, { timeout: 10000 }, id);
}

// A run with more distinct latencies than it keeps rounds its largest rows (response_times.hpp);
// no sample capture has that many, so the same page is loaded again with its first answered row
// marked rounded (the row's 10th value: the percentiles' largest relative error). Its p50, p90 and
// p99 must show ≈ and say how close they are; its count and max, and the other rows, stay as they were.
async function roundedRow(browser, rt) {
  const at = rt.findIndex(r => r[2] > 0);
  if (at < 0) return;
  const html = fs.readFileSync(htmlPath, 'utf8');
  const open = '<script type="application/json" id="q-summary">';
  const from = html.indexOf(open) + open.length, to = html.indexOf('</script>', from);
  const summary = JSON.parse(html.slice(from, to));
  summary.response_times[at][9] = Math.pow(2, -12);
  const roundedPath = htmlPath.replace(/\.html$/, '.rounded.html');
  // escaped as quartet escapes its data blocks: nothing in them can end the element
  fs.writeFileSync(roundedPath, html.slice(0, from) + JSON.stringify(summary).replace(/</g, '\\u003c') + html.slice(to));
  const { page, problems } = await watchedPage(browser);
  await page.goto('file://' + roundedPath, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
  const cells = await page.$$eval('tr.rt-row', trs => trs.map(tr => [...tr.children].map(td => [td.textContent, td.title])));
  cells.forEach((row, i) => {
    const pcts = row.slice(3, 6);
    if (i !== at) return assert.ok(pcts.every(([t]) => !t.startsWith('≈')), 'row ' + i + ' not marked');
    for (const [t, title] of pcts) {
      assert.ok(t.startsWith('≈') && parseDur(t.slice(1)) !== null, 'rounded percentile shown as ≈: ' + t);
      assert.equal(title, 'within 0.0244 % of the exact value');
    }
    assert.equal(row[2][0], String(rt[at][2]), 'count as it was');
    assert.ok(!row[6][0].startsWith('≈'), 'max stays exact');
  });
  const caption = await page.$$eval('figure.rt-card figcaption', f => f[0].textContent);
  assert.ok(caption.includes('p50 ≈') && caption.includes('p99 ≈'), caption);
  assert.deepEqual(problems, [], 'the rounded page loads cleanly');
  await page.close();
}

async function main() {
  const { browser, close } = await launch();
  try {
    const { page, problems } = await watchedPage(browser);
    await page.goto('file://' + htmlPath, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
    assert.deepEqual(problems, [], 'the page loads cleanly');

    // --- the sessions table holds the JSONL's sessions
    const rows = await allRows(page);
    assert.equal(rows.length, jSessions.length, 'one table row per session');
    const byId = new Map(rows.map(r => [Number(r[0]), r]));
    for (const s of jSessions) {
      const r = byId.get(s.id);
      assert.ok(r, 'session #' + s.id + ' is in the table');
      assert.equal(r[1].replace(/[+/]TLS$/, ''), s.protocol);
      assert.equal(r[2], ep(s.client));
      assert.equal(r[3], ep(s.server));
      assert.equal(Number(r[6]), s.messages.client);
      assert.equal(Number(r[7]), s.messages.server);
      const answered = jMessages.filter(m => m.session === s.id && m.latency !== null).map(m => m.latency * 1e6).sort((a, b) => a - b);
      const max = parseDur(r[10]);
      if (!answered.length) assert.equal(max, null, 'no latency in #' + s.id);
      else assert.ok(Math.abs(max - answered[answered.length - 1]) <= Math.max(1.5, max * 1e-3), 'max latency of #' + s.id + ': ' + r[10]);
    }

    // --- filters: by protocol, then by text
    for (const proto of [...new Set(jSessions.map(s => s.protocol))]) {
      await page.select('#filter-protocol', String(await page.$eval('#filter-protocol', (sel, p) =>
        [...sel.options].find(o => o.textContent === p).value, proto)));
      assert.equal(matchCount(await pageInfo(page)), jSessions.filter(s => s.protocol === proto).length, 'protocol filter ' + proto);
      const shown = await tableRows(page);
      assert.ok(shown.every(r => r[1].startsWith(proto)));
    }
    await page.select('#filter-protocol', '-1');
    const needle = ep(jSessions[0].server);
    await page.type('#filter-text', needle);
    await page.waitForFunction(n => [...document.querySelectorAll('#sessions-table tbody tr')].every(tr => tr.textContent.includes(n)), {}, needle);
    await new Promise(r => setTimeout(r, 300));
    assert.equal(matchCount(await pageInfo(page)), jSessions.filter(s => ep(s.client).includes(needle) || ep(s.server).includes(needle)).length, 'text filter');
    await page.$eval('#filter-text', e => { e.value = ''; e.dispatchEvent(new Event('input')); });
    await page.waitForFunction(n => document.querySelector('.pageinfo').textContent.includes('of ' + n.toLocaleString('en') + ' sessions'), {}, jSessions.length);

    // --- sorting by messages sent by the client, both ways
    const col = 6;
    await page.evaluate(c => document.querySelectorAll('#sessions-table thead th')[c].click(), col);
    let first = (await tableRows(page)).map(r => Number(r[col]));
    assert.deepEqual(first, [...first].sort((a, b) => a - b), 'sorted ascending');
    await page.evaluate(c => document.querySelectorAll('#sessions-table thead th')[c].click(), col);
    first = (await tableRows(page)).map(r => Number(r[col]));
    assert.deepEqual(first, [...first].sort((a, b) => b - a), 'sorted descending');
    assert.equal(first[0], Math.max(...jSessions.map(s => s.messages.client)));

    // --- the busiest session's diagram: one arrow per message, in order
    const busiest = jSessions.reduce((a, b) => (b.messages.client + b.messages.server > a.messages.client + a.messages.server ? b : a));
    const msgs = jMessages.filter(m => m.session === busiest.id);
    await openSession(page, busiest.id);
    const arrows = await page.$$eval('#seq g.msg', gs => gs.map(g => ({ index: Number(g.dataset.index), label: g.querySelector('text.label').textContent })));
    assert.equal(arrows.length, msgs.length, 'one arrow per message of #' + busiest.id);
    msgs.forEach((m, i) => {
      assert.equal(arrows[i].index, m.index);
      assert.ok(arrows[i].label.startsWith('[' + m.index + '] ' + (m.summary || m.name).slice(0, 20)), arrows[i].label);
    });
    const links = await page.$$eval('#seq path.link', ps => ps.length);
    assert.equal(links, msgs.filter(m => m.response_to !== null).length, 'one dotted link per response');

    // --- the first and last session of each block of messages: their JSONL messages, one arrow each
    const blockStarts = await page.evaluate(() => JSON.parse(document.getElementById('q-summary').textContent).blocks);
    const tableIds = await page.evaluate(() => JSON.parse(document.getElementById('q-sessions').textContent).map(r => r[0]));
    assert.ok(blockStarts.length >= minBlocks, blockStarts.length + ' blocks of messages, ' + minBlocks + ' expected at least');
    assert.equal(blockStarts[0], 0, 'the first block starts at the first session');
    blockStarts.forEach((b, i) => assert.ok(i === 0 || b > blockStarts[i - 1], 'blocks ascending'));
    for (let b = 0; b < blockStarts.length; b++) {
      const end = b + 1 < blockStarts.length ? blockStarts[b + 1] : tableIds.length;
      for (const row of new Set([blockStarts[b], end - 1])) {
        const id = tableIds[row];
        const n = jMessages.filter(m => m.session === id).length;
        if (!n || n > 2000) continue;  // (no arrow to wait for; or drawn only where visible)
        await openSession(page, id);
        assert.equal(await page.$$eval('#seq g.msg', gs => gs.length), n, 'one arrow per message of #' + id + ', row ' + row + ' in block ' + b);
      }
    }
    if (blockStarts.length > 1) await openSession(page, busiest.id);

    // --- problems, gaps and TLS starts/hand-offs are marked: every session that has some
    const jEvents = jsonl.filter(o => o.type === 'event');
    const marked = jSessions.filter(s => jEvents.some(e => e.session === s.id && (e.kind === 'gap' || e.kind === 'tls_start')) ||
      jMessages.some(m => m.session === s.id && m.problems.length)).slice(0, 4);
    for (const s of marked) {
      await openSession(page, s.id);
      const count = (kind) => jEvents.filter(e => e.session === s.id && e.kind === kind).length;
      assert.equal(await page.$$eval('#seq g.ev[data-kind="gap"]', g => g.length), count('gap'), 'gaps marked in #' + s.id);
      assert.equal(await page.$$eval('#seq g.ev[data-kind="tls_start"]', g => g.length), count('tls_start'), 'TLS starts marked in #' + s.id);
      assert.equal(await page.$$eval('#seq g.msg.bad', g => g.length), jMessages.filter(m => m.session === s.id && m.problems.length).length,
        'messages with problems marked in #' + s.id);
    }
    if (marked.length) await openSession(page, busiest.id);

    // --- clicking a message shows its JSONL fields
    const withFields = msgs.reduce((a, b) => (Object.keys(b.fields).length > Object.keys(a.fields).length ? b : a));
    await page.evaluate(i => document.querySelector('#seq g.msg[data-index="' + i + '"]').dispatchEvent(new MouseEvent('click', { bubbles: true })), withFields.index);
    const fields = await page.$$eval('#fields tr', trs => trs.map(tr => [tr.children[0].textContent, tr.children[1].textContent]));
    const expected = Object.entries(withFields.fields).map(([k, v]) => [k, Array.isArray(v) ? v.map(x => JSON.stringify(x)).join(', ') : JSON.stringify(v)]);
    assert.deepEqual(fields, expected, 'the fields of [' + withFields.index + '] are the JSONL ones');
    assert.ok((await page.$eval('#details h3', e => e.textContent)).startsWith('[' + withFields.index + '] '));
    const shot = path.resolve(workdir, base + '.png');
    await page.screenshot({ path: shot, fullPage: true });

    // --- response times: the text summary's numbers, and the JSONL's latencies
    const rt = await page.evaluate(() => JSON.parse(document.getElementById('q-summary').textContent).response_times);
    const protos = await page.evaluate(() => JSON.parse(document.getElementById('q-summary').textContent).protocols);
    const txt = textResponseTimes();
    assert.equal(rt.length, txt.length, 'as many response-time rows as the text summary');
    assert.equal(await page.$$eval('tr.rt-row', t => t.length), rt.length);
    rt.forEach((r, i) => {
      const t = txt[i];
      assert.equal(protos[r[0]], t.proto);
      assert.equal(r[1], t.kind);
      assert.equal(r[2], t.count);
      assert.equal(r[3], t.unanswered);
      assert.equal(r[9] > 0, t.rounded, t.kind + ': rounded in the page as in the text summary');
      if (r[2]) [r[4], r[5], r[6], r[7]].forEach((us, k) => assert.equal((us / 1e3).toFixed(3), [t.p50, t.p90, t.p99, t.max][k], t.kind));
      // recomputed from the JSONL: the messages whose name is the kind, requests or answered ones
      // (a COPS DEC answered by its RPT has a row, as in Wireshark's SRT); unanswered counts requests only
      const name = r[1].split(' ')[0];
      // (a DEC flagged as a request carries a PacketCable gate command: its row is the command's)
      const named = jMessages.filter(m => protos[r[0]] === m.protocol && m.name === name && !(m.protocol === 'COPS' && name === 'DEC' && m.request));
      const answers = jMessages.filter(m => m.response_to !== null && m.latency !== null && named.some(q => q.session === m.session && q.index === m.response_to));
      // not split further or cut (COPS REQ by context, OPN by client type, DEC by PacketCable gate command are)
      if (r[1] === name && !name.endsWith('...')) {
        const firstAnswer = new Map();
        for (const a of answers) if (!firstAnswer.has(a.session + ':' + a.response_to)) firstAnswer.set(a.session + ':' + a.response_to, a.latency * 1e6);
        const lat = [...firstAnswer.values()].sort((a, b) => a - b);
        const unanswered = named.filter(m => m.request && !firstAnswer.has(m.session + ':' + m.index)).length;
        assert.equal(r[2], lat.length, r[1] + ' answered');
        assert.equal(r[3], unanswered, r[1] + ' unanswered');
        assert.ok(Math.abs(r[4] - nearestRank(lat, 50)) <= 1 && Math.abs(r[7] - nearestRank(lat, 100)) <= 1, r[1] + ' p50/max');
      }
    });
    assert.equal(await page.$$eval('figure.rt-card', f => f.length), rt.filter(r => r[2] > 0).length, 'one histogram per answered kind');
    const approx = await page.$$eval('tr.rt-row', trs => trs.map(tr => [...tr.children].filter(td => td.textContent.startsWith('≈')).length));
    assert.deepEqual(approx, rt.map(r => (r[9] > 0 && r[2] > 0 ? 3 : 0)), 'p50, p90 and p99 marked ≈ on rounded rows only');
    if (!hostile) await roundedRow(browser, rt);

    // --- problems: grouped by kind, each linking to its message
    const jProblems = jMessages.reduce((n, m) => n + m.problems.length, 0);
    const kinds = await page.$$eval('details.problem-kind', ds => ds.map(d => d.dataset.kind));
    if (jProblems) {
      assert.ok(kinds.length > 0, 'problems are listed');
      const m = jMessages.find(x => x.problems.length);
      const kind = m.problems[0].kind;
      await page.evaluate(k => { const d = document.querySelector('details.problem-kind[data-kind="' + k + '"]'); d.open = true; }, kind);
      await page.waitForSelector('details.problem-kind[data-kind="' + kind + '"] li a');
      const target = jMessages.find(x => x.problems.some(p => p.kind === kind));
      await page.evaluate(k => document.querySelector('details.problem-kind[data-kind="' + k + '"] li a').click(), kind);
      await page.waitForFunction((s, i) => {
        const h2 = document.querySelector('#diagram h2'), h3 = document.querySelector('#details h3');
        return h2 && h3 && h2.textContent.startsWith('Session #' + s + ' ') && h3.textContent.startsWith('[' + i + '] ');
      }, { timeout: 10000 }, target.session, target.index);
      const h3 = await page.$eval('#details h3', e => e.textContent);
      const title = await page.$eval('#diagram h2', e => e.textContent);
      assert.ok(title.startsWith('Session #' + target.session + ' '), title);
      assert.ok(h3.startsWith('[' + target.index + '] '), h3);
    }

    if (hostile) {
      // Values that look like markup or script stay text: nothing ran, the text is shown as it was.
      assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no capture value ran as script');
      assert.equal(await page.$$eval('script', s => s.length), 4, 'only the page\'s own four script elements');
      assert.equal(await page.$$eval('img, iframe, object, embed', s => s.length), 0, 'no element came from the data');
      const shownText = await page.evaluate(() => document.body.innerText);
      const hostileMsg = jMessages.find(m => m.summary.includes('</script>'));
      assert.ok(hostileMsg, 'the capture carries a </script> value');
      await openSession(page, hostileMsg.session);
      const label = await page.$eval('#seq g.msg[data-index="' + hostileMsg.index + '"] title', t => t.textContent);
      assert.equal(label, '[' + hostileMsg.index + '] ' + hostileMsg.summary, 'the hostile summary is shown verbatim');
      assert.ok(shownText.length > 0);
    }
    assert.deepEqual(problems, [], 'no console error, exception, dialog or request while using the page');
    console.log('ok: ' + capture + ': ' + jSessions.length + ' sessions, ' + jMessages.length + ' messages, ' + rt.length +
      ' response-time rows, ' + blockStarts.length + ' blocks of messages; screenshot ' + shot);
  } finally {
    await close();
  }
}

main().catch(e => { console.error(e); process.exit(1); });

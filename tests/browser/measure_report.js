#!/usr/bin/env node
// How a big HTML report behaves in headless chromium: file size, time until the page is
// interactive (the sessions table drawn), and the time of a few actions on it. For the
// README's numbers (bench/report_scale.sh), never asserted.
//   measure_report.js REPORT.html [runs]
'use strict';
const fs = require('fs');
const path = require('path');
const { launch, watchedPage } = require('./chromium');

async function timed(page, action, until) {
  const t = Date.now();
  await page.evaluate(action);
  await page.waitForFunction(until, { timeout: 120000, polling: 10 });
  return Date.now() - t;
}

async function main() {
  const file = path.resolve(process.argv[2]);
  const runs = Number(process.argv[3] || 3);
  const { browser, close } = await launch();
  const out = { file, bytes: fs.statSync(file).size, runs: [] };
  try {
    for (let r = 0; r < runs; r++) {
      const { page, problems } = await watchedPage(browser);
      const t0 = Date.now();
      await page.goto('file://' + file, { waitUntil: 'domcontentloaded', timeout: 300000 });
      await page.waitForSelector('body[data-ready="1"]', { timeout: 300000 });
      const wall = Date.now() - t0;
      const ready = await page.evaluate(() => window.quartetReady);
      const heap = await page.evaluate(() => performance.memory ? performance.memory.usedJSHeapSize : null);
      const sessions = await page.$eval('.pageinfo', e => e.textContent);
      const open = await timed(page, () => document.querySelector('#sessions-table tbody tr').click(),
        () => document.querySelector('#seq g.msg'));
      // scroll to the middle of the diagram (a long session is drawn only where it is seen)
      const scroll = await timed(page, () => { const s = document.getElementById('diagram-scroller'); s.scrollTop = s.scrollHeight / 2; },
        () => { const s = document.getElementById('diagram-scroller'), g = document.querySelectorAll('#seq g.msg');
          return g.length && [...g].some(x => Math.abs(x.getBoundingClientRect().top - s.getBoundingClientRect().top) < s.clientHeight); });
      const arrows = await page.$$eval('#seq g.msg', g => g.length);
      const sort = await timed(page, () => document.querySelectorAll('#sessions-table thead th')[5].click(),
        () => document.querySelector('#sessions-table thead th.sorted'));
      const filter = await timed(page, () => { const i = document.getElementById('filter-text'); i.value = 'rrp'; i.dispatchEvent(new Event('input')); },
        () => /of [\d,]+ sessions|no session/.test(document.querySelector('.pageinfo').textContent) &&
              [...document.querySelectorAll('#sessions-table tbody tr')].every(tr => tr.children[1].textContent.startsWith('RRP')));
      out.runs.push({ load_to_interactive_ms: wall, ready_after_navigation_ms: Math.round(ready), js_heap_mb: heap && Math.round(heap / 1e6),
        open_first_session_ms: open, scroll_diagram_ms: scroll, arrows_drawn: arrows, sort_by_duration_ms: sort, text_filter_ms: filter, table: sessions, problems });
      await page.close();
    }
  } finally {
    await close();
  }
  console.log(JSON.stringify(out, null, 1));
}

main().catch(e => { console.error(e); process.exit(1); });

#!/usr/bin/env node
// A picture of a report for the docs: the sessions table, one session's diagram with
// a message clicked, and the latency plots.
//   screenshot.js REPORT.html OUT.png SESSION_ID MESSAGE_INDEX
'use strict';
const path = require('path');
const { launch, watchedPage } = require('./chromium');

async function main() {
  const [file, out, id, index] = process.argv.slice(2);
  const { browser, close } = await launch();
  try {
    const { page, problems } = await watchedPage(browser);
    await page.setViewport({ width: 1400, height: 1050 });
    await page.goto('file://' + path.resolve(file));
    await page.waitForSelector('body[data-ready="1"]');
    await page.evaluate(i => document.querySelector('#sessions-table tbody tr[data-session="' + i + '"]').click(), id);
    await page.waitForSelector('#seq g.msg[data-index="' + index + '"]');
    await page.evaluate(i => document.querySelector('#seq g.msg[data-index="' + i + '"]').dispatchEvent(new MouseEvent('click', { bubbles: true })), index);
    await page.evaluate(() => { const s = document.getElementById('sessions'); window.scrollTo(0, s.offsetTop - 10); });
    await page.screenshot({ path: out });
    if (problems.length) throw new Error(problems.join('\n'));
  } finally {
    await close();
  }
}

main().catch(e => { console.error(e); process.exit(1); });

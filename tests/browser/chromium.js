// Debian's chromium, headless, driven by puppeteer-core (no browser download): the
// launch flags every browser test and measurement uses, a fresh profile each time,
// and a page that records console errors, uncaught exceptions, dialogs and any
// request that is not the file itself.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const CHROMIUM = process.env.QUARTET_CHROMIUM || '/usr/bin/chromium';

// ctest's SKIP_RETURN_CODE: the browser or puppeteer-core (npm ci in tests/browser) is missing.
const SKIP = 77;
let puppeteer;
try {
  puppeteer = require('puppeteer-core');
} catch (e) {
  console.log('skip: puppeteer-core is not installed (scripts/setup.sh runs npm ci in tests/browser)');
  process.exit(SKIP);
}
if (!fs.existsSync(CHROMIUM)) {
  console.log('skip: no ' + CHROMIUM + ' (scripts/setup.sh installs Debian\'s chromium)');
  process.exit(SKIP);
}

async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'quartet-chromium-'));
  const args = ['--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--user-data-dir=' + profile, '--window-size=1400,1000'];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox'); // chromium refuses root otherwise
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args, protocolTimeout: 300000,
    defaultViewport: { width: 1400, height: 1000 } });
  const close = async () => {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { browser, close };
}

// A page with its trouble recorded in `problems` (strings).
async function watchedPage(browser) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warn') problems.push('console ' + m.type() + ': ' + m.text()); });
  page.on('pageerror', e => problems.push('page error: ' + e.message));
  page.on('dialog', async d => { problems.push('dialog: ' + d.message()); await d.dismiss(); });
  page.on('request', r => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push('request: ' + r.url()); });
  return { page, problems };
}

module.exports = { launch, watchedPage };

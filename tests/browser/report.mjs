// report.mjs - opens an export's report.html in Debian's chromium (driven
// by playwright-core) the way the liaison worker does, from file:// and
// offline, and checks what a person would see: the concerns first, each
// child's page with their records as plain text, no script and none of
// the markup typed into a record turned into elements, nothing fetched,
// and, printed on A4, no table wider than the page. Prints TAP-like
// "ok - ..." / "not ok - ..." lines (tests/cli/report_browser.sh runs it).
//
//   node tests/browser/report.mjs REPORT.html OUT.pdf
//
// The texts to find come from the environment, as the fixture typed them
// (tests/cli/records_fixture.inc): ACT, WELL, WORDS, FIX, SAYS, LONG_FILE,
// CONCERN_OPEN, XSS_SCRIPT, XSS_IMG, FORMULA. playwright-core is looked up
// in $HK_NODE_DIR/node_modules (default tests/browser, as the companion's
// tests: package.json there), chromium at $HK_CHROMIUM (default
// /usr/bin/chromium).
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const nodeDir = process.env.HK_NODE_DIR || path.dirname(fileURLToPath(import.meta.url));
const { chromium } = createRequire(path.join(nodeDir, 'node_modules') + '/')('playwright-core');
const [reportPath, pdfPath] = process.argv.slice(2);
const E = process.env;
let failures = 0;

function check(sentence, cond, why = '') {
	console.log(`${cond ? 'ok' : 'not ok'} - ${sentence}${cond || !why ? '' : ` (${why})`}`);
	if (!cond)
		failures++;
}

// What the page holds, read in the page: plain data back to node.
function readPage() {
	const sections = [...document.querySelectorAll('body > section')].map((s) => s.id);
	const onAttrs = [...document.querySelectorAll('*')].flatMap((el) =>
		[...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name));
	const textBlock = (el) => ({
		text: el.textContent,
		onlyText: [...el.childNodes].every((n) => n.nodeType === Node.TEXT_NODE),
	});
	const children = [...document.querySelectorAll('section.child')].map((s) => ({
		name: s.querySelector('h2').textContent,
		blocks: [...s.querySelectorAll('.text')].map(textBlock),
		records: s.querySelectorAll('article.record').length,
	}));
	const concerns = [...document.querySelectorAll('#concerns article.concern')].map((a) => ({
		cls: a.className, blocks: [...a.querySelectorAll('.text')].map(textBlock),
	}));
	return {
		sections, onAttrs, children, concerns,
		scripts: document.querySelectorAll('script').length,
		injected: document.querySelectorAll('img, b, i, iframe, object, embed, link, form,' +
						    ' a, input, button').length,
		resources: performance.getEntriesByType('resource').length,
	};
}

// Under print media at the printable width of A4 (210 mm less the
// report's 14 mm margins each side), the tables that are wider than
// their box, and how much wider the page is than the paper.
function measurePrint() {
	const wide = [...document.querySelectorAll('table')]
		.filter((t) => t.scrollWidth > t.clientWidth + 1 ||
			t.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
		.map((t) => `${t.className}: ${t.scrollWidth} > ${t.clientWidth}`);
	return {
		wide,
		tables: document.querySelectorAll('table').length,
		overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
	};
}

const MM = 96 / 25.4;
const browser = await chromium.launch({
	executablePath: E.HK_CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
	       '--disable-component-update', '--disable-sync'],
});
try {
	const url = pathToFileURL(reportPath).href;
	const requests = [], dialogs = [];

	// First as it is opened: with JavaScript off, nothing may go missing.
	const plain = await browser.newContext({ javaScriptEnabled: false });
	const p0 = await plain.newPage();
	p0.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
	await p0.goto(url, { waitUntil: 'load' });
	check('the report opens from file:// with JavaScript turned off',
	      (await p0.title()) === 'Support care report');
	await plain.close();

	const ctx = await browser.newContext({ viewport: { width: 1240, height: 1754 } });
	const page = await ctx.newPage();
	page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
	page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
	await page.goto(url, { waitUntil: 'load' });
	const d = await page.evaluate(readPage);

	check('the report fetches nothing (no request but the page itself)', requests.length === 0,
	      requests.join(' '));
	check('no dialog opened (the injected alert() never ran)', dialogs.length === 0,
	      dialogs.join(' '));
	check('the page has no <script> element', d.scripts === 0);
	check('no element carries an event handler attribute', d.onAttrs.length === 0,
	      d.onAttrs.join(' '));
	check('the markup typed into records is not present as elements (img, b, i, ...)',
	      d.injected === 0, `${d.injected} found`);
	check('the concerns section comes first', d.sections[0] === 'concerns', d.sections.join(','));
	check('the order is concerns, figures, families, children',
	      d.sections.slice(0, 4).join(',') === 'concerns,figures,families,children',
	      d.sections.slice(0, 4).join(','));
	check('the open urgent concern is the first concern',
	      d.concerns.length === 3 && d.concerns[0].cls.includes('urgent') &&
	      d.concerns[0].blocks.some((b) => b.text === E.CONCERN_OPEN));

	const ada = d.children.find((c) => c.name.startsWith('Ada'));
	check("Ada has a page of her own with her record", ada && ada.records === 1);
	const has = (who, text) => who && who.blocks.some((b) => b.text === text && b.onlyText);
	check("Ada's activities are on her page as one text node, markup and all",
	      has(ada, E.ACT));
	check("the <img onerror> typed into her wellbeing is text", has(ada, E.WELL) &&
	      E.WELL.includes(E.XSS_IMG));
	check('the formula typed as her words is shown as typed', has(ada, E.FORMULA));
	check('the correction and her own statement are beneath the record',
	      has(ada, E.FIX) && has(ada, E.SAYS));
	const layla = d.children.find((c) => c.name.startsWith('ليلى'));
	const long = readFileSync(E.LONG_FILE, 'utf8');
	check('a section of 20,000 characters is whole on the page (no truncation)',
	      has(layla, long));

	// Printed: A4, no table wider than the paper.
	await page.emulateMedia({ media: 'print' });
	await page.setViewportSize({ width: Math.floor((210 - 2 * 14) * MM), height: 1123 });
	const m = await page.evaluate(measurePrint);
	check(`no table of ${m.tables} is wider than an A4 page under print media`,
	      m.wide.length === 0, m.wide.join('; '));
	check('nothing makes the printed page wider than A4', m.overflow <= 0, `${m.overflow} px`);
	const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
	writeFileSync(pdfPath, pdf);
	check('chromium prints the report to PDF', pdf.subarray(0, 5).toString() === '%PDF-');
	await ctx.close();
} finally {
	await browser.close();
}
process.exit(failures ? 1 : 0);

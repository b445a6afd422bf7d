// opener_bench.mjs - how long open.html takes, in Debian's chromium, to
// open a 30 MB export: from choosing the two files to the report shown
// (decrypting, unzipping, checking every file's SHA-256, the report's
// frame loaded). A figure for tools/bench, never asserted.
//
//   node tests/browser/opener_bench.mjs OPEN.html WORKDIR [MB]
//
// The export is made here like the hub's: a folder of CSV files of
// journal-like rows (times, names, notes, hashes), an events.ics, a
// report.html and a manifest.txt; zipped by bsdtar (libarchive, as the
// hub; python3's zipfile without it), once stored as the hub writes it
// and once deflated; sealed by Debian's age to a key from age-keygen.
// Three runs of each; prints one line each, median and slowest.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch } from './lib.mjs';

const [opener, work, mbArg] = process.argv.slice(2);
const MB = Number(mbArg || 30);
if (!opener || !work) {
	console.error('usage: node opener_bench.mjs OPEN.html WORKDIR [MB]');
	process.exit(2);
}

// A small, seeded generator: the same export every run.
let seed = 20261207;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const pick = (a) => a[Math.floor(rnd() * a.length)];
const FIRST = ['Ada', 'Ben', 'Mei', 'Layla', 'Ananya', 'Oliver', 'Amara', 'Noah', 'Zofia', 'Kwame',
	'Sofia', 'Yusuf', 'Chloe', 'Dmitri', 'Aisha', 'Tomás', 'Ewa', 'Jamal', 'Freya', 'Ravi'];
const LAST = ['Example', 'Haddad', 'Sharma', 'Wang', 'Okafor', 'Kowalski', 'Nguyen', 'Murphy',
	'Santos', 'Ibrahim', 'Jones', 'Patel', 'Smith', 'Novak'];
const WORDS = ('slept well ate breakfast played in the garden read a story upset after contact ' +
	'settled quickly school run homework drawing football park visit calm evening bath time ' +
	'asked about mum laughed a lot quiet morning medicine given at lunch tired after the trip').split(' ');
const note = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
const hex = () => createHash('sha256').update(String(rnd())).digest('hex');
const when = (i) => new Date(Date.UTC(2016, 0, 1) + i * 97_000).toISOString().slice(0, 19) + 'Z';
const csvText = (s) => /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;

// A CSV of about `bytes` bytes: a header and rows from row(i).
function csv(header, bytes, row) {
	const out = [header];
	let n = header.length + 1;
	for (let i = 0; n < bytes; i++) {
		const line = row(i).map(csvText).join(',');
		out.push(line);
		n += line.length + 1;
	}
	return out.join('\n') + '\n';
}

function makeExport(dir, total) {
	const folder = 'Bench-House_export_2026-12-07_093512';
	const d = path.join(dir, folder);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(d, { recursive: true });
	const who = () => `${pick(FIRST)} ${pick(LAST)}`;
	const part = (f) => Math.round(total * f);
	const files = {
		'journal.csv': csv('seq,at,actor,kind,subject,detail,hash', part(0.45), (i) =>
			[String(i + 1), when(i), 'admin:root', pick(['visit.checkin', 'stay.add', 'record.add',
				'care.add']), who(), note(8), hex()]),
		'stays.csv': csv('id,child,bed,from,until,kind,note', part(0.05), (i) =>
			[String(i), who(), pick(['Willow', 'Oak']), when(i), when(i + 9), 'planned', note(4)]),
		'care.csv': csv('id,child,from,until,hours,note', part(0.04), (i) =>
			[String(i), who(), when(i), when(i + 2), '3.5', note(5)]),
		'visits.csv': csv('id,visitor,expected,in,out,note', part(0.05), (i) =>
			[String(i), who(), when(i), when(i), when(i + 1), note(3)]),
		'contacts.csv': csv('id,child,with,at,supervised,note', part(0.03), (i) =>
			[String(i), who(), who(), when(i), 'yes', note(6)]),
		'records.csv': csv('id,child,about,written,author,activities,wellbeing,words', part(0.25),
			(i) => [String(i), who(), when(i), when(i + 1), 'device:phone', note(20), note(12), note(6)]),
		'concerns.csv': csv('id,child,level,raised,what,done,told,outcome', part(0.03), (i) =>
			[String(i), who(), pick(['routine', 'urgent']), when(i), note(10), note(6), who(), note(5)]),
	};
	let ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hubkiosk//bench//EN\r\n';
	for (let i = 0; ics.length < part(0.02); i++)
		ics += `BEGIN:VEVENT\r\nUID:${i}@bench\r\nDTSTART:20260101T100000Z\r\nSUMMARY:${note(4)}\r\nEND:VEVENT\r\n`;
	files['events.ics'] = ics + 'END:VCALENDAR\r\n';
	const rows = [];
	for (let n = 0; n < part(0.08); ) {
		const r = `<tr><td>${when(rows.length)}</td><td>${who()}</td><td class="text">${note(14)}</td></tr>\n`;
		rows.push(r);
		n += r.length;
	}
	files['report.html'] = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
		'<title>Support care report</title><style>body{font-family:sans-serif}</style></head>' +
		`<body><h1>Support care report: Bench House</h1><table>${rows.join('')}</table></body></html>\n`;
	let manifest = '# hubkiosk export manifest, version 1\n# hub: Bench House\n' +
		'# created: 2026-12-07T09:35:12+00:00\n# journal: entries 1 to 1\n' +
		`# chain-start: ${'0'.repeat(64)}\n# chain-head: 1 ${'0'.repeat(64)}\n`;
	for (const [name, text] of Object.entries(files)) {
		writeFileSync(path.join(d, name), text);
		manifest += `${createHash('sha256').update(text).digest('hex')}  ${name}\n`;
	}
	writeFileSync(path.join(d, 'manifest.txt'), manifest);
	return { dir, folder };
}

function run(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
	if (r.status !== 0)
		throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error}`);
	return r.stdout;
}

function zip(src, out, stored) {
	const bsdtar = spawnSync('sh', ['-c', 'command -v bsdtar']).status === 0;
	if (bsdtar) {
		run('sh', ['-c', `cd "$1" && bsdtar -cf - --format zip ${stored ? '--options zip:compression=store' : ''} "$2" | cat >"$3"`,
			'sh', src.dir, src.folder, out]);
		return 'bsdtar';
	}
	run('python3', ['-c', `import os, sys, zipfile
d, f, out, m = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED if m == "stored" else zipfile.ZIP_DEFLATED) as z:
    for n in sorted(os.listdir(os.path.join(d, f))):
        z.write(os.path.join(d, f, n), f + "/" + n)`, src.dir, src.folder, out, stored ? 'stored' : 'deflated']);
	return 'python3 zipfile';
}

const mb = (n) => (n / 1024 / 1024).toFixed(1);
const keyFile = path.join(work, 'bench.key');
mkdirSync(work, { recursive: true });
rmSync(keyFile, { force: true });
run('age-keygen', ['-o', keyFile]);
const pub = run('age-keygen', ['-y', keyFile]).trim();
const src = makeExport(path.join(work, 'folder'), MB * 1024 * 1024);
const content = Number(run('sh', ['-c', 'cat "$1"/* | wc -c', 'sh', path.join(src.dir, src.folder)]).trim());

const browser = await launch();
try {
	const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
	await page.route('**/*', (r) => (r.request().url().startsWith('file:') ||
		r.request().url().startsWith('blob:') ? r.continue() : r.abort()));
	await page.goto(pathToFileURL(opener).href);
	for (const stored of [true, false]) {
		const z = path.join(work, stored ? 'stored.zip' : 'deflated.zip');
		const sealed = z.replace(/zip$/, 'age');
		const how = zip(src, z, stored);
		run('age', ['-r', pub, '-o', sealed, z]);
		const times = [];
		for (let i = 0; i < 3; i++) {
			await page.reload();
			const t0 = performance.now();
			await page.getByLabel('Your key', { exact: true }).setInputFiles(keyFile);
			await page.getByLabel('The export', { exact: true }).setInputFiles(sealed);
			await page.getByRole('button', { name: 'Open the export' }).click();
			await page.waitForSelector('#result:not([hidden]), #refusal:not([hidden])', { timeout: 60000 });
			if (!(await page.isVisible('#result')))
				throw new Error('the opener refused the bench export: ' + await page.textContent('#refusal'));
			const frame = await (await page.$('#report')).contentFrame();
			while (!frame.url().startsWith('blob:'))
				await page.waitForTimeout(5);
			await frame.waitForLoadState('load');
			times.push((performance.now() - t0) / 1000);
		}
		times.sort((a, b) => a - b);
		console.log(`opener, ${mb(content)} MB export ${stored ? 'stored, as the hub zips it' : 'deflated'}` +
			` (.age ${mb(statSync(sealed).size)} MB, ${how}): ${times[1].toFixed(2)} s median of 3` +
			` (slowest ${times[2].toFixed(2)} s), choosing the files to the report shown`);
	}
} finally {
	await browser.close();
}

// opener.js - the page of open.html: two files in (the worker's key and
// the sealed export), and out either the whole export (the report shown,
// every file offered for saving) or one message saying why not. And a new
// key pair for a worker who has none. The opening itself is in
// open_export.js; the words of each refusal in messages.js.
//
// The page fetches nothing: files come in through the two inputs and
// leave through blob: links with a download name (its CSP has no
// connect-src at all).
import { openExport, Refusal } from './open_export.js';
import { messageFor } from './messages.js';
import { makeKeyPair } from './keygen.js';

const $ = (id) => document.getElementById(id);
let urls = [];          // blob: URLs of what is shown now, revoked before the next

const DESCRIBE = {
	'journal.csv': 'Everything recorded on the hub, in order (the journal)',
	'stays.csv': 'Stays in the hub’s beds',
	'care.csv': 'Support care sessions, in hours',
	'visits.csv': 'Visits to the hub',
	'contacts.csv': 'Contact sessions hosted at the hub',
	'records.csv': 'Daily records about each child, with corrections',
	'concerns.csv': 'Concerns raised, what was done and who was told',
	'events.ics': 'The constellation’s calendar',
	'report.html': 'The report shown below, to print or keep',
	'manifest.txt': 'The list of files and their SHA-256 fingerprints',
};
const TYPES = { csv: 'text/csv', ics: 'text/calendar', html: 'text/html', txt: 'text/plain' };

function blobUrl(bytes, type) {
	const u = URL.createObjectURL(new Blob([bytes], { type }));
	urls.push(u);
	return u;
}

// A save link whose blob is made when it is first pressed (the click's
// default action then follows the new href): a blob is a copy, and 30 MB
// of them cost half a second before anything could be shown.
function saveLink(a, bytes, type, name) {
	a.setAttribute('href', '#');
	a.download = name;
	a.onclick = () => {
		if (a.getAttribute('href') === '#')
			a.href = blobUrl(bytes, type);
	};
}

function size(n) {
	if (n < 1024)
		return `${n} bytes`;
	if (n < 1024 * 1024)
		return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} kB`;
	return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function el(tag, props = {}, ...children) {
	const e = document.createElement(tag);
	Object.assign(e, props);
	e.append(...children);
	return e;
}

// Back to nothing shown: no report, no links, no message.
function clear() {
	$('result').hidden = true;
	$('refusal').hidden = true;
	const old = $('report'), fresh = old.cloneNode(false);   // the shown report gone with it
	fresh.removeAttribute('src');
	old.replaceWith(fresh);
	$('files').tBodies[0].replaceChildren();
	$('facts').replaceChildren();
	$('save-zip').setAttribute('href', '#');
	$('save-zip').onclick = (e) => e.preventDefault();
	for (const u of urls)
		URL.revokeObjectURL(u);
	urls = [];
}

function refuse(code, names = []) {
	const m = messageFor(code, names);
	$('refusal').dataset.code = code;
	$('refusal-title').textContent = m.title;
	$('refusal-text').textContent = m.text;
	$('refusal-todo').textContent = m.todo;
	$('refusal-todo').hidden = !m.todo;
	$('refusal').hidden = false;
	$('refusal').focus();
}

function busy(on, fraction) {
	$('busy').hidden = !on;
	$('go').disabled = on;
	if (fraction === undefined)
		$('bar').removeAttribute('value');
	else
		$('bar').value = fraction;
}

function fact(term, value) {
	if (value)
		$('facts').append(el('dt', { textContent: term }), el('dd', { textContent: value }));
}

// "2026-12-07T09:35:12+00:00" as "7 December 2026 at 09:35".
function when(iso) {
	const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(iso || '');
	if (!m)
		return iso;
	const month = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
		'September', 'October', 'November', 'December'][Number(m[2]) - 1];
	return `${Number(m[3])} ${month} ${m[1]} at ${m[4]}:${m[5]}`;
}

function show(x) {
	const n = x.files.size;
	$('checked').textContent = `Every file matches the export’s list of files ` +
		`(${n} files checked). Nothing was changed since the hub sealed it.`;
	fact('Hub', x.info.hub);
	fact('Made', when(x.info.created));
	const j = /^entries (\d+) to (\d+)$/.exec(x.info.journal || '');
	fact('Journal', j ? `entries ${j[1]} to ${j[2]}` : x.info.journal);
	fact('Folder', x.folder);
	const body = $('files').tBodies[0];
	for (const [name, bytes] of x.files) {
		const ext = name.split('.').pop();
		const a = el('a', { className: 'button small' }, 'Save',
			el('span', { className: 'vh', textContent: ' ' + name }));
		saveLink(a, bytes, TYPES[ext] || 'application/octet-stream', name);
		body.append(el('tr', {},
			el('td', {}, el('span', { className: 'file', textContent: name })),
			el('td', { textContent: DESCRIBE[name] || '' }),
			el('td', { className: 'num', textContent: size(bytes.length) }),
			el('td', {}, a)));
	}
	saveLink($('save-zip'), x.zip, 'application/zip', `${x.folder}.zip`);
	const report = x.files.get('report.html');
	if (report)
		$('report').src = blobUrl(report, 'text/html;charset=utf-8');
	$('report').hidden = !report;
	$('result').hidden = false;
	$('result-h').focus({ preventScroll: true });
	$('result').scrollIntoView({ block: 'start' });
}

// Each opening, and each change of a file, starts a new turn: what an
// older turn finds once a file was changed is not shown.
let turn = 0;

function changed() {
	turn++;
	clear();
}

async function open(ev) {
	ev.preventDefault();
	changed();
	const mine = turn;
	const key = $('key').files[0], file = $('export').files[0];
	if (!key)
		return refuse('no-key');
	if (!file)
		return refuse('no-export');
	busy(true, 0);
	try {
		const keyText = await key.slice(0, 65536).text();
		const x = await openExport(keyText, file, (f) => busy(true, f));
		if (mine === turn)
			show(x);
	} catch (e) {
		if (!(e instanceof Refusal))
			console.error(e);
		if (mine === turn)
			refuse(e instanceof Refusal ? e.code : 'unexpected', e.names || []);
	} finally {
		busy(false);
	}
}

// ---- I have no key yet ----------------------------------------------------

let keyUrl = null;

async function makeKey() {
	const k = await makeKeyPair();
	if (keyUrl)
		URL.revokeObjectURL(keyUrl);
	keyUrl = URL.createObjectURL(new Blob([k.fileText], { type: 'text/plain' }));
	$('save-key').href = keyUrl;
	$('save-key').download = k.fileName;
	$('pubkey').value = k.recipient;
	$('pubkey-cmd').textContent = k.recipient;
	$('copied').textContent = '';
	$('key-made').hidden = false;
	$('make-key').hidden = true;
	$('save-key').focus();
}

async function copy() {
	const input = $('pubkey');
	input.select();
	try {
		await navigator.clipboard.writeText(input.value);
		$('copied').textContent = 'Copied. Paste it where the hub’s technician asked for it.';
	} catch {
		$('copied').textContent = 'Selected: press Ctrl+C (or ⌘C) to copy it.';
	}
}

$('open-form').addEventListener('submit', open);
$('key').addEventListener('change', changed);
$('export').addEventListener('change', changed);
$('make-key').addEventListener('click', makeKey);
$('remake').addEventListener('click', makeKey);
$('copy').addEventListener('click', copy);
$('save-key').addEventListener('click', (e) => {
	if ($('save-key').getAttribute('href') === '#')
		e.preventDefault();
});
clear();

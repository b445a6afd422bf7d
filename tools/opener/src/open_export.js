// open_export.js - opening a sealed export, without the page: the key
// file read, the age file decrypted (age-encryption), the zip inside
// unpacked (fflate) and every file checked against manifest.txt with
// WebCrypto's SHA-256. Start with openExport(); opener.js is the page
// around it.
//
// Every way it can fail throws a Refusal whose code says which (the page
// turns it into words: messages.js). Nothing is returned until every
// check has passed, so the page never holds half an export.
import { Decrypter, armor } from 'age-encryption';
import { unzipSync } from 'fflate';

export class Refusal extends Error {
	// code: one of the keys of messages.js; names: the files it is about.
	constructor(code, names = [], cause = undefined) {
		super(code + (names.length ? ': ' + names.join(', ') : ''));
		this.code = code;
		this.names = names;
		this.cause = cause;
	}
}

const AGE_MAGIC = 'age-encryption.org/';
const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const STICK_TOKEN = 'hubkiosk export key';
export const MANIFEST = 'manifest.txt';
const MANIFEST_MAGIC = '# hubkiosk export manifest, version 1';

const startsWith = (bytes, text) =>
	bytes.length >= text.length && [...text].every((c, i) => bytes[i] === c.charCodeAt(0));

// The identities in the text of a key file (age-keygen's format: '#'
// lines, then AGE-SECRET-KEY-1...; several keys may follow each other).
// Refuses with what the file is instead when it is not a key file.
export function readKey(text) {
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim());
	const keys = lines.filter((l) => /^AGE-SECRET-KEY-(PQ-)?1/i.test(l));
	if (keys.length) {
		const d = new Decrypter();
		try {
			for (const k of keys)
				d.addIdentity(k.toUpperCase());
		} catch (e) {
			throw new Refusal('key-damaged', [], e);
		}
		return keys.map((k) => k.toUpperCase());
	}
	const first = lines.find((l) => l && !l.startsWith('#')) || '';
	if (!text.length)
		throw new Refusal('key-empty');
	if (text.startsWith(AGE_MAGIC) || text.startsWith(ARMOR_BEGIN))
		throw new Refusal('key-is-export');
	if (text.startsWith(STICK_TOKEN))
		throw new Refusal('key-is-stick-token');
	if (/^age1[0-9a-z]+$/.test(first))
		throw new Refusal('key-is-public');
	throw new Refusal('key-not-a-key');
}

// What the first bytes of the file given as the export say it is; refuses
// anything that is not an age file. Returns 'binary' or 'armored'.
export function sniffExport(head, size) {
	if (!size)
		throw new Refusal('export-empty');
	if (startsWith(head, AGE_MAGIC))
		return 'binary';
	if (startsWith(head, ARMOR_BEGIN))
		return 'armored';
	const text = new TextDecoder().decode(head);
	if (/AGE-SECRET-KEY-/.test(text))
		throw new Refusal('export-is-key');
	if (text.startsWith(STICK_TOKEN))
		throw new Refusal('export-is-stick-token');
	if (startsWith(head, 'PK\x03\x04'))
		throw new Refusal('export-is-zip');
	throw new Refusal('export-not-age');
}

// Decrypts the age file read from `source` (a ReadableStream of bytes) with
// the identities; resolves to the plaintext. A wrong key and a damaged
// file are told apart by two identities of our own around the real ones:
// the first sees the header's stanzas only if the header parsed, the last
// is asked only if no real identity matched one of them.
async function decrypt(identities, source, onBytes) {
	const seen = { header: false, noMatch: false };
	const d = new Decrypter();
	d.addIdentity({ unwrapFileKey: () => { seen.header = true; return null; } });
	for (const k of identities)
		d.addIdentity(k);
	d.addIdentity({ unwrapFileKey: () => { seen.noMatch = true; return null; } });
	let out;
	try {
		out = await d.decrypt(source);
	} catch (e) {
		if (seen.noMatch)
			throw new Refusal('wrong-key', [], e);
		throw new Refusal(seen.header ? 'damaged' : 'damaged-header', [], e);
	}
	try {
		return await readAll(out, onBytes);
	} catch (e) {
		throw new Refusal('damaged', [], e);
	}
}

// The whole of a stream in one array; every 2 MB, onBytes(bytes so far)
// and a pause that lets the page draw its progress bar.
async function readAll(stream, onBytes) {
	const chunks = [];
	let n = 0, sinceYield = 0;
	const reader = stream.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done)
			break;
		chunks.push(value);
		n += value.length;
		sinceYield += value.length;
		if (sinceYield >= 1 << 21) {
			sinceYield = 0;
			onBytes(n);
			await new Promise((r) => setTimeout(r, 0));
		}
	}
	const all = new Uint8Array(n);
	let at = 0;
	for (const c of chunks) {
		all.set(c, at);
		at += c.length;
	}
	return all;
}

// The zip's entries as {folder, files: Map name -> bytes}. An export is one
// folder of plain files; anything else is not one of ours.
export function unpack(zip) {
	const names = [];
	let entries;
	try {
		entries = unzipSync(zip, { filter: (f) => { names.push(f.name); return true; } });
	} catch (e) {
		throw new Refusal('inside-not-export', [], e);
	}
	const files = new Map();
	let folder = null;
	for (const name of names) {
		if (name.endsWith('/'))
			continue;                       // a folder's own entry
		const m = /^([^/]+)\/([^/]+)$/.exec(name);
		if (!m || (folder !== null && m[1] !== folder) || m[1] === '..' || m[2] === '..')
			throw new Refusal('inside-not-export', [name]);
		if (files.has(m[2]))
			throw new Refusal('inside-not-export', [name]);
		folder = m[1];
		files.set(m[2], entries[name]);
	}
	if (folder === null)
		throw new Refusal('inside-not-export');
	return { folder, files };
}

// manifest.txt read: {info: {hub, created, journal, ...}, sums: Map name ->
// hex}. Its format is sha256sum's after '#' lines (kiosk/export/
// export_manifest.c writes it).
export function parseManifest(bytes) {
	const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
	const lines = text.split('\n');
	if (lines[lines.length - 1] === '')
		lines.pop();
	if (!lines.length || lines[0].replace(/\r$/, '') !== MANIFEST_MAGIC)
		throw new Refusal('manifest-bad');
	const info = {}, sums = new Map();
	for (const raw of lines.slice(1)) {
		const line = raw.replace(/\r$/, '');
		const c = /^# ([a-z-]+): (.*)$/.exec(line);
		if (c) {
			info[c[1]] = c[2];
			continue;
		}
		if (line.startsWith('#') || !line)
			continue;
		const f = /^([0-9a-f]{64}) {2}([^/]+)$/.exec(line);
		if (!f || sums.has(f[2]) || f[2] === MANIFEST)
			throw new Refusal('manifest-bad');
		sums.set(f[2], f[1]);
	}
	if (!sums.size)
		throw new Refusal('manifest-bad');
	return { info, sums };
}

export async function sha256hex(bytes) {
	const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
	return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Every file against the manifest: refuses when one it lists is missing
// or does not match, or when the export holds one it does not list.
export async function checkManifest(files) {
	if (!files.has(MANIFEST))
		throw new Refusal('manifest-missing');
	const m = parseManifest(files.get(MANIFEST));
	const missing = [], changed = [], extra = [];
	for (const [name, want] of m.sums) {
		if (!files.has(name))
			missing.push(name);
		else if ((await sha256hex(files.get(name))) !== want)
			changed.push(name);
	}
	for (const name of files.keys())
		if (name !== MANIFEST && !m.sums.has(name))
			extra.push(name);
	if (changed.length)
		throw new Refusal('file-changed', changed);
	if (missing.length)
		throw new Refusal('file-missing', missing);
	if (extra.length)
		throw new Refusal('file-extra', extra);
	return m;
}

// The export in `file` (a File or Blob) opened with the key file's text.
// progress(fraction) is told how far it is. Resolves to {folder, files
// (Map name -> bytes, the manifest's order, manifest last), info, zip};
// rejects with a Refusal.
export async function openExport(keyText, file, progress = () => {}) {
	const identities = readKey(keyText);
	const head = new Uint8Array(await file.slice(0, 1024).arrayBuffer());
	const kind = sniffExport(head, file.size);
	let source;
	if (kind === 'armored') {
		let bytes;
		try {
			bytes = armor.decode(await file.text());
		} catch (e) {
			throw new Refusal('damaged-header', [], e);
		}
		source = new Blob([bytes]).stream();
	} else {
		source = file.stream();
	}
	// the plaintext is a little shorter than the file: near enough
	const zip = await decrypt(identities, source, (n) => progress(Math.min(0.9, 0.9 * n / file.size)));
	progress(0.9);
	const { folder, files } = unpack(zip);
	const m = await checkManifest(files);
	progress(1);
	const ordered = new Map([...m.sums.keys()].map((n) => [n, files.get(n)]));
	ordered.set(MANIFEST, files.get(MANIFEST));
	return { folder, files: ordered, info: m.info, zip };
}

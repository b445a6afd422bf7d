// build.mjs - makes open.html, the opener on the export stick: one HTML
// file that holds its script and style inline, so it opens from the stick
// (file://) with nothing else. esbuild bundles src/opener.js with its npm
// dependencies (age-encryption, fflate: pinned by package-lock.json, never
// copied into the tree) and minifies it; the page's Content-Security-Policy
// allows that one script by its SHA-256 and nothing to be fetched at all.
//
//   node tools/opener/build.mjs OUT.html      (mk/opener.mk runs it)
//
// The output depends only on the sources and the locked modules: the same
// tree builds the same bytes. To move to newer modules: change the exact
// versions in package.json, run `npm install` here, and commit
// package.json with package-lock.json (tests/cli/opener_browser.sh then
// says whether the page still opens what Debian's age seals).
import { build, transform } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
	console.error('usage: node build.mjs OUT.html');
	process.exit(2);
}
const src = (f) => readFileSync(path.join(here, 'src', f), 'utf8');

// The report is shown in a frame that inherits this policy (a blob: frame
// does), and it styles itself with inline <style> and style attributes:
// hence style-src 'unsafe-inline'. Scripts are what matter, and they stay
// allowed by hash only (and the frame is sandboxed without scripts too).
function policy(scriptHash) {
	return [
		"default-src 'none'",
		`script-src '${scriptHash}'`,
		"style-src 'unsafe-inline'",
		'frame-src blob:',
		"form-action 'none'",
		"base-uri 'none'",
	].join('; ');
}

// The npm packages whose code is in the bundle, from esbuild's metafile,
// with their version, licence and licence text.
function bundled(meta) {
	const names = new Set();
	for (const file of Object.keys(meta.inputs)) {
		const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
		if (m)
			names.add(m[1]);
	}
	return [...names].sort().map((name) => {
		const dir = path.join(here, 'node_modules', name);
		const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
		const lic = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].map((f) => path.join(dir, f))
			.find((f) => existsSync(f));
		return { name, version: pkg.version, license: pkg.license,
			text: lic ? readFileSync(lic, 'utf8').trim() : '' };
	});
}

// Text that may stand inside an HTML comment.
const commentSafe = (s) => s.replace(/--/g, '- -');

const js = await build({
	entryPoints: [path.join(here, 'src/opener.js')],
	bundle: true, format: 'iife', minify: true, write: false, metafile: true,
	target: ['chrome109', 'edge109', 'firefox115', 'safari16'], charset: 'utf8',
	legalComments: 'none', logLevel: 'warning',
});
const script = js.outputFiles[0].text.trim();
const style = (await transform(src('opener.css'), { loader: 'css', minify: true })).code.trim();
if (/<\/script|<!--/i.test(script) || /<\/style/i.test(style)) {
	console.error('build.mjs: the bundle holds </script, <!-- or </style: it cannot be inlined');
	process.exit(1);
}
const hash = 'sha256-' + createHash('sha256').update(script, 'utf8').digest('base64');
const deps = bundled(js.metafile);
const about = 'This page is hubkiosk’s opener, with ' +
	deps.filter((d) => ['age-encryption', 'fflate'].includes(d.name))
		.map((d) => `${d.name} ${d.version}`).join(' and ') + '.';
const licences = '<!--\nThe script above bundles these npm packages; their licences follow.\n' +
	deps.map((d) => `\n== ${d.name} ${d.version} (${d.license})\n\n${commentSafe(d.text)}\n`)
		.join('') + '-->';

const fill = { CSP: policy(hash), STYLE: style, SCRIPT: script, ABOUT: about };
let html = src('opener.html').replace(/\{\{([A-Z]+)\}\}/g, (m, k) => {
	if (!(k in fill))
		throw new Error('build.mjs: the template names an unknown {{' + k + '}}');
	return fill[k];
});
html = html.replace('</html>\n', () => '</html>\n' + licences + '\n');
mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
writeFileSync(out, html);
console.log(`${out}: ${Math.round(html.length / 1024)} kB, script ${hash}`);

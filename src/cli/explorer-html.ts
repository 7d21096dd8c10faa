import { createHash } from 'node:crypto';
import type { ExplorerData } from '../explorer/data.js';
import { EXPLORER_DATA_ID } from '../explorer/data.js';

/**
 * The most bytes the explorer page may take, everything inlined. A test holds the bundled page to it.
 *
 * @example
 * html.length <= EXPLORER_BUDGET_BYTES; //=> true for the bundled rules
 */
// 300 KB held 14 policies; the 15th (fulfilment.disputeRuling) and the decisions now written out in
// the rule descriptions took the page to about 307 KB, so the budget grew by about one policy.
export const EXPLORER_BUDGET_BYTES = 352 * 1024;

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become `\u003c`
 * and friends (the same string once parsed), so `</script>` or `<!--` in a rule's text cannot end
 * the element or open a comment; U+2028 and U+2029 are escaped too.
 *
 * @example
 * jsonForScript({ quote: '</script>' }); //=> '{"quote":"\\u003c/script\\u003e"}'
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Script text that is safe inside `<script>`: `</script` and `<!--` in string literals are broken
 * up with a backslash, which JavaScript reads as the same string.
 *
 * @example
 * scriptForHtml('x = "</script>"'); //=> 'x = "<\\/script>"'
 */
export function scriptForHtml(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * The explorer as one self-contained HTML page: the styles, the rule set as JSON, and the
 * browser bundle, all inline. A Content-Security-Policy allows exactly this script and style and
 * no connection of any kind, so the page cannot reach the network even by mistake.
 *
 * @example
 * const html = explorerHtml(readFileSync('dist/explorer.global.js', 'utf8'), data);
 */
export function explorerHtml(script: string, data: ExplorerData): string {
  const code = scriptForHtml(script);
  const json = jsonForScript(data);
  const title = data.lang === 'zh' ? `銷售政策瀏覽器 (${data.asOf})` : `Sales policies explorer (${data.asOf})`;
  const csp = [`default-src 'none'`, `script-src ${sha256(code)}`, `style-src ${sha256(STYLE)}`, `img-src data:`, `base-uri 'none'`, `form-action 'none'`].join('; ');
  const noscript = data.lang === 'zh' ? '本頁需要 JavaScript 來顯示政策與試算表單。' : 'This page needs JavaScript to show the policies and the forms.';
  return `<!doctype html>
<html lang="${data.lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sales-policies ${escapeHtml(data.version)}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<div id="app"><noscript><p>${noscript}</p></noscript></div>
<script type="application/json" id="${EXPLORER_DATA_ID}">${json}</script>
<script>${code}</script>
</body>
</html>
`;
}

const STYLE = `
:root{color-scheme:light;--ink:#1b1b1b;--muted:#555;--line:#d0d0d0;--soft:#f5f6f8;--accent:#0b5cad;--good:#106b21;--bad:#a1260d}
*{box-sizing:border-box}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;color:var(--ink);background:#fff}
#app{max-width:1180px;margin:0 auto;padding:16px 20px 48px}
header{border-bottom:2px solid var(--line);padding-bottom:8px;margin-bottom:8px}
h1{font-size:1.6rem;margin:.2em 0}
h2{font-size:1.3rem;margin:0 0 .3em;padding-top:.4em}
h3{font-size:1.05rem;margin:1.2em 0 .4em}
h4{font-size:.95rem;margin:.8em 0 .3em}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.92em}
a{color:var(--accent)}
.meta,.help{color:var(--muted);font-size:.88rem}
.help{margin:.2em 0 0}
.try-facts>.help{margin:0 0 10px}
.controls{display:flex;flex-wrap:wrap;gap:16px 32px;align-items:flex-end;margin:.6em 0}
fieldset.lang{border:1px solid var(--line);border-radius:6px;padding:4px 12px 8px;margin:0}
fieldset.lang legend{font-size:.88rem;color:var(--muted);padding:0 4px}
.radio{margin-right:14px;white-space:nowrap}
.radio label{margin-left:4px}
nav ul{display:flex;flex-wrap:wrap;gap:4px 18px;padding:0;margin:.4em 0;list-style:none;font-size:.92rem}
section.policy{border-top:1px solid var(--line);margin-top:24px;padding:8px 0 16px}
.table-scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:var(--soft);white-space:nowrap}
tbody th{font-weight:600;white-space:nowrap}
td.num{text-align:right}
td.date{white-space:nowrap}
caption{text-align:left;caption-side:top;padding:0 0 4px}
tr.fired>*{background:#e3f4e6}
tr.fired>th{box-shadow:inset 4px 0 0 var(--good)}
.versions{font-size:.88rem}
dl.quotes{margin:0;font-size:.92rem}
dl.quotes dt{font-weight:600;margin-top:.5em}
dl.quotes dd{margin:0 0 0 1.5em}
.gloss{display:block;color:var(--muted)}
.try{display:grid;grid-template-columns:minmax(0,5fr) minmax(0,7fr);gap:24px;margin-top:8px}
@media (max-width:860px){.try{grid-template-columns:1fr}}
.try-facts,.try-result{min-width:0}
.form-tools{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:flex-end;margin-bottom:8px}
.field{margin:0 0 10px}
.field>label{display:block;font-weight:600}
.field .type{font-weight:400;color:var(--muted);font-size:.8rem;margin-left:4px}
.check{display:flex;align-items:center;gap:6px}
.check label{font-weight:600}
.state{color:var(--muted);font-size:.85rem}
input[type=text],input[type=date],select,textarea{font:inherit;font-size:.95rem;padding:4px 6px;border:1px solid #8a8a8a;border-radius:4px;background:#fff;color:var(--ink);max-width:100%}
input[type=text],textarea{width:100%}
.examples{flex:1 1 16em;min-width:0}
.examples select{width:100%}
textarea{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.82rem;overflow-wrap:anywhere}
input[type=checkbox]{width:18px;height:18px;margin:0}
[aria-invalid=true]{border-color:var(--bad);outline:2px solid var(--bad);outline-offset:1px}
.field-error{color:var(--bad);font-size:.85rem;margin:.2em 0 0;white-space:pre-wrap}
button{font:inherit;font-size:.9rem;padding:4px 12px;border:1px solid #8a8a8a;border-radius:4px;background:var(--soft);cursor:pointer}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.result{border:1px solid var(--line);border-radius:6px;padding:8px 12px;background:#fcfcfd}
dl.outcome{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 6px;font-size:1rem}
dl.outcome dt{font-weight:600}
dl.outcome dd{margin:0}
.basis{margin:.2em 0}
.issues{border-left:4px solid var(--bad);padding:4px 12px;background:#fff5f3}
.issues-title{font-weight:600;color:var(--bad);margin:.2em 0}
.issues ul{margin:.2em 0;padding-left:1.2em}
.received{color:var(--muted)}
.warnings{color:#7a4b00}
ul.fired{padding-left:1.2em;margin:.2em 0;font-size:.92rem}
.quote{color:var(--ink)}
details{margin:.5em 0}
summary{cursor:pointer;font-weight:600;font-size:.92rem}
ol.trace-rules{padding-left:0;list-style:none;margin:.3em 0;font-size:.85rem}
li.rule{border-left:3px solid var(--line);padding:2px 0 2px 8px;margin:4px 0}
li.rule.fired{border-left-color:var(--good);background:#f3faf4}
li.rule ul{list-style:none;padding-left:1.1em;margin:0}
.mark{display:inline-block;min-width:4.2em;font-weight:600;font-size:.8rem}
.mark.true{color:var(--good)}
.mark.false{color:var(--bad)}
pre{white-space:pre-wrap;word-break:break-word;font-size:.78rem;background:var(--soft);padding:8px;border-radius:4px;max-height:28em;overflow:auto}
.charts{margin-top:12px}
figure.chart-figure{margin:12px 0 0;border:1px solid var(--line);border-radius:6px;padding:8px 12px}
.chart-scroll{overflow-x:auto}
svg.chart{display:block;max-width:100%;height:auto;font-family:inherit}
svg .grid{stroke:#e3e3e3;stroke-width:1}
svg .axis-tick{stroke:#c8c8c8;stroke-width:1}
svg .tick{font-size:12px;fill:#333}
svg .axis-label{font-size:12px;fill:var(--muted)}
svg .marker-line{stroke:#555;stroke-width:1.5;stroke-dasharray:3 3}
svg .marker-text{font-size:11px;fill:#333}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:2px 18px;padding:0;margin:6px 0;font-size:.85rem}
ul.legend svg{vertical-align:middle}
`;

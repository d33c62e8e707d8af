/**
 * Writes a self-contained HTML page that draws a BPMN file with bpmn-js's NavigatedViewer,
 * to look at a generated diagram (or screenshot it with Chromium) without a server.
 *
 *   node dist/processes/tools/render-page.js <bpmn-js folder> <file.bpmn> <out.html>
 *   chromium --headless --no-sandbox --hide-scrollbars --virtual-time-budget=5000 \
 *     --window-size=2200,1200 --screenshot=out.png file://$PWD/out.html
 *
 * Why a page of its own: bpmn-js is not a dependency of the server; any installed copy
 * (e.g. `npm install bpmn-js@18` in a scratch folder) will do. The page's title becomes
 * `ok <number of import warnings>` once drawn, or the body says `ERROR ...`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The HTML of a page drawing `xml`, with bpmn-js read from `bpmnJsFolder` (its package folder). */
export function renderPage(bpmnJsFolder: string, xml: string): string {
  const dist = join(bpmnJsFolder, 'dist');
  const script = readFileSync(join(dist, 'bpmn-navigated-viewer.production.min.js'), 'utf8');
  const css = ['diagram-js.css', 'bpmn-js.css', 'bpmn-font/css/bpmn.css'].map((f) => readFileSync(join(dist, 'assets', f), 'utf8')).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}
html, body, #canvas { margin: 0; width: 100%; height: 100%; background: #fff; }</style></head>
<body><div id="canvas"></div><script>${script.replace(/<\/script/gi, '<\\/script')}</script><script>
const viewer = new BpmnJS({ container: '#canvas' });
viewer.importXML(${JSON.stringify(xml).replace(/</g, '\\u003c')})
  .then((result) => { viewer.get('canvas').zoom('fit-viewport'); document.title = 'ok ' + result.warnings.length; })
  .catch((error) => { document.body.textContent = 'ERROR ' + error.message; });
</script></body></html>`;
}

if (require.main === module) {
  const [bpmnJs, file, out] = process.argv.slice(2);
  if (!bpmnJs || !file || !out) {
    console.error('usage: render-page <bpmn-js folder> <file.bpmn> <out.html>');
    process.exit(2);
  }
  writeFileSync(out, renderPage(bpmnJs, readFileSync(file, 'utf8')));
  console.log(`wrote ${out}`);
}

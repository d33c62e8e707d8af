/**
 * A `node -e` program that runs the product's TypeScript sources in a child process with no
 * build step: it transpiles each `.ts` file on require, then runs `program`.
 */
export function transpilingChild(program: string): string {
  return `
const ts = require('typescript');
const fs = require('fs');
require.extensions['.ts'] = function (module, filename) {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
  });
  module._compile(outputText, filename);
};
${program}
`;
}

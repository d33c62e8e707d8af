/**
 * FEEL's regular expressions (`matches`, `replace`, `split`) on a linear-time engine.
 *
 * Why: JavaScript's RegExp backtracks, so `matches(text, "(a+)+$")` on thirty characters runs for
 * seconds (ReDoS), and no operation count can interrupt it. FEEL patterns are XML Schema regular
 * expressions, which have no back-references or look-arounds, so RE2 (its pure JavaScript port,
 * re2js) runs every one of them in time linear in the input. Results follow what feelin gives with
 * a JavaScript RegExp: `replace` understands `$0`/`$&`, `$1`…, `` $` ``, `$'` and `$$`, `split`
 * includes captured groups like String.prototype.split. A pattern RE2 cannot compile is invalid
 * (the function then yields null).
 */
import { RE2JS } from 're2js';
import { BudgetExceeded, maxResultChars, spend } from './guard';

const compiled = new Map<string, RE2JS | null>();

/** Compiles a pattern with FEEL flags (`s`, `m`, `i`); null when the pattern or a flag is not valid. Cached (bounded). */
export function compileLinear(pattern: string, flags = ''): RE2JS | null {
  if (!/^[smi]*$/.test(flags)) return null;
  const key = `${flags}/${pattern}`;
  let re = compiled.get(key);
  if (re === undefined) {
    let bits = 0;
    if (flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE;
    if (flags.includes('s')) bits |= RE2JS.DOTALL;
    if (flags.includes('m')) bits |= RE2JS.MULTILINE;
    try {
      re = RE2JS.compile(pattern, bits);
    } catch {
      re = null;
    }
    if (compiled.size >= 1_000) compiled.clear();
    compiled.set(key, re);
  }
  return re;
}

/** Whether `input` contains a match (RegExp.prototype.test). */
export function linearTest(re: RE2JS, input: string): boolean {
  return re.matcher(input).find();
}

/** Expands `$$`, `$&`, `` $` ``, `$'`, `$n` and `$nn` as String.prototype.replace does. */
function expandReplacement(replacement: string, matched: string, captures: (string | undefined)[], input: string, offset: number): string {
  if (!replacement.includes('$')) return replacement;
  return replacement.replace(/\$(\$|&|`|'|\d{1,2})/g, (whole, token: string) => {
    if (token === '$') return '$';
    if (token === '&') return matched;
    if (token === '`') return input.slice(0, offset);
    if (token === "'") return input.slice(offset + matched.length);
    // $nn when group nn exists, else $n followed by a digit, else literal
    const two = Number(token);
    if (token.length === 2 && two >= 1 && two <= captures.length) return captures[two - 1] ?? '';
    const one = Number(token[0]);
    if (one >= 1 && one <= captures.length) return (captures[one - 1] ?? '') + token.slice(1);
    return whole;
  });
}

/** Every match replaced (a global replace), the result bounded while it is built. FEEL's `$0` means the whole match. */
export function linearReplace(re: RE2JS, input: string, replacement: string): string {
  const template = replacement.replace(/\$0/g, '$$&');
  const matcher = re.matcher(input);
  const groupCount = matcher.groupCount();
  const max = maxResultChars();
  let out = '';
  let last = 0;
  while (matcher.find()) {
    spend(1);
    const start = matcher.start();
    const end = matcher.end();
    const captures: (string | undefined)[] = [];
    for (let g = 1; g <= groupCount; g++) captures.push(matcher.group(g) ?? undefined);
    out += input.slice(last, start) + expandReplacement(template, input.slice(start, end), captures, input, start);
    last = end;
    if (out.length + input.length - last > max) {
      throw new BudgetExceeded('result', `builds a string of more than ${max} characters (the limit)`);
    }
  }
  return out + input.slice(last);
}

/** The pieces between matches, with captured groups (String.prototype.split with a RegExp). */
export function linearSplit(re: RE2JS, input: string): string[] {
  const matcher = re.matcher(input);
  const groupCount = matcher.groupCount();
  if (input.length === 0) return matcher.find(0) ? [] : [''];
  const pieces: string[] = [];
  let p = 0;
  let q = 0;
  while (q < input.length && matcher.find(q)) {
    spend(1);
    const start = matcher.start();
    const end = matcher.end();
    if (start >= input.length) break;
    if (end === p || (end === start && start === p)) {
      // an empty match where the last piece ended: look again one further on
      q = start + 1;
      continue;
    }
    pieces.push(input.slice(p, start));
    for (let g = 1; g <= groupCount; g++) pieces.push(matcher.group(g) as string);
    p = end;
    q = end > start ? end : end + 1;
  }
  pieces.push(input.slice(p));
  return pieces;
}

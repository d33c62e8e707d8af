/** The literal text of a name that may be written as a FEEL string (`="order"`): message, signal and timer start events need it at deploy. */
export function staticText(expression: string): string {
  return expression.startsWith('=') ? expression.slice(1).trim().replace(/^"(.*)"$/, '$1') : expression;
}

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { trackError } from './errors.ts';
import type { TrackLocation } from './types.ts';

/** An XML element with its namespace prefix dropped and names lower-cased, and where it starts in the text. */
export interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
  /** The element's own text (CDATA included), trimmed. */
  text: string;
  /** Character offset of the start tag in the text that was parsed. */
  start: number;
}

export interface ParsedXml {
  root: XNode;
  /** The text the offsets refer to (stray `&` escaped; same lines as the upload). */
  text: string;
}

// Declared as the `Symbol` wrapper type upstream; it is a plain symbol at run time.
const METADATA = XMLParser.getMetaDataSymbol() as unknown as symbol;

/** Parses GPX or KML text: any namespace prefix (or none), names compared case-insensitively, line/column on errors. */
export function parseXml(source: string, file: TrackLocation): ParsedXml {
  // Some exporters write a bare `&` in names ("林场 & 水库"); escaping it keeps such files readable, and adds no lines.
  const escaped = source
    .replace(/&(?!(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9a-fA-F]+);)/g, '&amp;')
    // A declaration after blank lines is refused by the validator; the encoding in it was already applied, so it
    // becomes spaces of the same length and every line and column stays where it was.
    .replace(/^(\s+)(<\?xml[\s\S]*?\?>)/, (_, space: string, declaration: string) => space + ' '.repeat(declaration.length));
  const text = trimPadding(escaped);
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) throw malformed(text, verdict.err, file);

  let ordered: unknown[];
  try {
    ordered = new XMLParser({
      preserveOrder: true,
      captureMetaData: true,
      removeNSPrefix: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      // Deeply nested KML Folders exist; a few hundred levels is still far from a stack risk.
      maxNestedTags: 500,
    }).parse(text) as unknown[];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const what = /nested tags/i.test(message) ? '的元素嵌套层级过深（超过 500 层）' : `不是格式正确的 XML：${message}`;
    throw trackError(422, 'malformed_file', file, what);
  }
  const nodes = convert(ordered);
  const root = nodes.find((node) => !node.name.startsWith('?') && !node.name.startsWith('!'));
  if (!root) throw trackError(422, 'malformed_file', file, '中没有 XML 元素');
  return { root, text };
}

/** Drops trailing NUL or DOS end-of-file padding that loggers writing to pre-allocated files leave after the root. */
function trimPadding(text: string): string {
  let end = text.length;
  // A loop, not /[\0\s]+$/, whose backtracking is quadratic on a long run of spaces followed by other text.
  while (end > 0) {
    const code = text.charCodeAt(end - 1);
    if (code === 0 || code === 0x1a || code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) end--;
    else break;
  }
  return end === text.length ? text : text.slice(0, end);
}

/** The direct children with a local name. */
export function childrenNamed(node: XNode, name: string): XNode[] {
  return node.children.filter((child) => child.name === name);
}

/** The first direct child with a local name. */
export function childNamed(node: XNode, name: string): XNode | undefined {
  return node.children.find((child) => child.name === name);
}

/** The trimmed text of the first child with a local name, or null when absent or blank. */
export function childText(node: XNode, name: string): string | null {
  const child = childNamed(node, name);
  return child && child.text !== '' ? child.text : null;
}

function convert(ordered: unknown[]): XNode[] {
  const nodes: XNode[] = [];
  for (const item of ordered) {
    if (item === null || typeof item !== 'object') continue;
    const record = item as Record<string, unknown>;
    let key: string | undefined;
    for (const k in record) {
      if (k !== ':@' && k !== '#text') {
        key = k;
        break;
      }
    }
    if (key === undefined) continue;
    const attrs: Record<string, string> = {};
    const rawAttrs = record[':@'];
    if (rawAttrs && typeof rawAttrs === 'object') {
      for (const [attr, value] of Object.entries(rawAttrs as Record<string, unknown>)) {
        attrs[localName(attr)] = typeof value === 'string' ? value : String(value);
      }
    }
    // One pass over the content: a 200,000-point file has about a million of these nodes.
    const content = Array.isArray(record[key]) ? (record[key] as unknown[]) : [];
    let text = '';
    let elements: unknown[] | null = null;
    for (const c of content) {
      if (c !== null && typeof c === 'object' && '#text' in c) text += String((c as { '#text': unknown })['#text']);
      else (elements ??= []).push(c);
    }
    const meta = (item as Record<symbol, { startIndex?: number } | undefined>)[METADATA];
    nodes.push({ name: localName(key), attrs, children: elements ? convert(elements) : [], text: text.trim(), start: meta?.startIndex ?? 0 });
  }
  return nodes;
}

function localName(name: string): string {
  const colon = name.lastIndexOf(':');
  return (colon === -1 ? name : name.slice(colon + 1)).toLowerCase();
}

function malformed(text: string, err: { code: string; msg: string; line: number; col: number }, file: TrackLocation) {
  const unclosed = /^Invalid '\[(.*)\]' found/s.exec(err.msg);
  if (unclosed) {
    // The validator reports unclosed elements at 1:1; the officer needs to know the file stops short.
    const tags = [...unclosed[1].matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`);
    const lines = text.split('\n');
    const location = { ...file, line: lines.length, column: lines[lines.length - 1].length + 1 };
    const open = tags.length ? `，${tags.slice(-3).reverse().join('、')} 没有闭合` : '';
    return trackError(422, 'malformed_file', location, `不完整，在此处意外结束（可能在导出或上传时被截断）${open}`);
  }
  const location = { ...file, line: err.line, column: err.col };
  return trackError(422, 'malformed_file', location, `不是格式正确的 XML：${reason(err)}`);
}

function reason(err: { code: string; msg: string }): string {
  const char = /^char '(.+)' is not expected/.exec(err.msg);
  if (char) return `此处不应出现字符 “${char[1]}”`;
  const closing = /^Expected closing tag '([^']*)' \(opened in line (\d+), col (\d+)\) instead of closing tag '([^']*)'/.exec(err.msg);
  if (closing) return `应先闭合第 ${closing[2]} 行的 <${closing[1]}>，却遇到了 </${closing[4]}>`;
  if (/^Closing tag '([^']*)' has not been opened/.test(err.msg)) return `结束标签没有对应的开始标签（${err.msg}）`;
  if (/^Extra text at the end/.test(err.msg)) return '根元素结束后还有多余的内容';
  if (/^Multiple possible root nodes/.test(err.msg)) return '有多个根元素';
  if (err.code === 'InvalidAttr') return `属性写法有误（${err.msg}）`;
  if (err.code === 'InvalidTag') return `标签写法有误（${err.msg}）`;
  return err.msg;
}

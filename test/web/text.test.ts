import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/src/lib/api/client.ts';
import { errorText } from '../../web/src/lib/api/error-text.ts';
import { linkify } from '../../web/src/lib/ui/linkify.ts';

describe('source notes', () => {
  it('links the addresses in a source note and keeps the rest as text', () => {
    expect(linkify('http://a.example/x.html ; http://b.example/y?z=1')).toEqual([
      { text: 'http://a.example/x.html', href: 'http://a.example/x.html' },
      { text: ' ; ' },
      { text: 'http://b.example/y?z=1', href: 'http://b.example/y?z=1' },
    ]);
    expect(linkify('https://r.example/rescat.json (seq 鲁40; from https://m.example/list.pdf)')).toEqual([
      { text: 'https://r.example/rescat.json', href: 'https://r.example/rescat.json' },
      { text: ' (seq 鲁40; from ' },
      { text: 'https://m.example/list.pdf', href: 'https://m.example/list.pdf' },
      { text: ')' },
    ]);
  });

  it('leaves a note without an address alone, and trailing full stops out of links', () => {
    expect(linkify('省林业局公告')).toEqual([{ text: '省林业局公告' }]);
    expect(linkify('见 https://x.example/a.')).toEqual([
      { text: '见 ' },
      { text: 'https://x.example/a', href: 'https://x.example/a' },
      { text: '.' },
    ]);
  });
});

describe('error messages', () => {
  it('says the network failed when there was no answer', () => {
    expect(errorText(new ApiError(0, 'network', 'Failed to fetch'), 'zh-CN')).toBe('无法连接服务器，请检查网络后重试。');
    expect(errorText(new TypeError('x'), 'en')).toMatch(/Cannot reach the server/);
  });

  it("shows the server's Chinese message in Chinese, the catalogue text in English", () => {
    const error = new ApiError(503, 'unavailable', '数据库暂时不可用');
    expect(errorText(error, 'zh-CN')).toBe('数据库暂时不可用');
    expect(errorText(error, 'en')).toBe('The service is unavailable for now; please retry shortly.');
  });

  it('falls back to the status for unknown codes without a message', () => {
    expect(errorText(new ApiError(502, 'http', ''), 'en')).toBe('The server answered with an error (502).');
    expect(errorText(new ApiError(418, 'teapot', 'short and stout'), 'en')).toBe('short and stout');
  });
});

// One quoting for every error message: user input as a JSON string, control and format
// characters escaped so the message stays one printable line, long input cut.

const QUOTE_MAX = 64;

// JSON-quote a piece of user input so an error message stays one printable line; long input is cut.
export function quote(text: string): string {
  let cut = Math.min(text.length, QUOTE_MAX);
  if (cut < text.length && isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
  const body = JSON.stringify(text.slice(0, cut)).replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
    (c) => {
      const cp = c.codePointAt(0) ?? 0;
      return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    },
  );
  return cut < text.length ? `${body}… (${text.length} characters)` : body;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

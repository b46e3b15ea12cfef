// Text whose terminal width is its length: printable ASCII, printable Latin-1 but the soft hyphen
// (µ, é, °…), and the general punctuation from U+2010 to U+2027 (dashes, quotes, …). The CLI
// bundle measures help columns with this before it loads string-width (scripts/bundle.mjs).
export const NARROW = /^[\x20-\x7e\xa0-\xac\xae-\xff\u2010-\u2027]*$/;

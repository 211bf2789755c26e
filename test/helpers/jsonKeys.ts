/** JSON.parse keeps the last of two equal keys silently; this finds them in a JSON text, at any depth. */
export function duplicateKeys(text: string): string[] {
  const duplicates: string[] = [];
  const stack: Array<Set<string> | null> = [];
  let i = 0;
  let expectKey = false;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const keys = stack.at(-1);
      if (expectKey && keys !== undefined && keys !== null) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (keys.has(key)) duplicates.push(key);
        keys.add(key);
      }
      expectKey = false;
      i = end + 1;
      continue;
    }
    if (char === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (char === '[') {
      stack.push(null);
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',') {
      expectKey = stack.at(-1) !== null && stack.length > 0;
    }
    i++;
  }
  return duplicates;
}

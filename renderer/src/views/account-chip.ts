/** Up to two initials for the avatar ("Demo User" → "DU"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0]];
  return letters
    .map((word) => [...(word ?? '')][0] ?? '')
    .join('')
    .toUpperCase();
}

/** The host people recognise ("api.example.com", "127.0.0.1:4000"); the text as given when unparsable. */
export function hostOf(url: string): string {
  return URL.parse(url)?.host || url;
}

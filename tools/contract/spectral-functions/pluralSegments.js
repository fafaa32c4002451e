// maintrac-path-segments-plural: every literal segment of a path names a collection, so it
// is plural ("work-orders", "log-entries"). The test is English's common case (the last word
// ends in "s"); a segment that is deliberately not a collection (`/users/me`) is listed as an
// exception with its reason.
export default function pluralSegments(route) {
  if (typeof route !== 'string') return [];
  const results = [];
  for (const segment of route.split('/')) {
    if (segment === '' || segment.startsWith('{')) continue;
    if (!/s$/.test(segment)) {
      results.push({ message: `Path segment "${segment}" of "${route}" is not a plural resource name.` });
    }
  }
  return results;
}

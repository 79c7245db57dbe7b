// Turns the flat, oldest-first post list into reading order: each reply directly under the post
// it answers. Depth is capped so deep exchanges stay readable on narrow screens.

export const MAX_DEPTH = 6;

// Returns [{ post, depth, parent }] in reading order. A post whose parent is not loaded (or not
// in this thread) is shown at the top level rather than dropped.
export function readingOrder(posts, maxDepth = MAX_DEPTH) {
  const sorted = [...posts].sort((a, b) => a.id - b.id);
  const byId = new Map(sorted.map((p) => [p.id, p]));
  const children = new Map();
  const roots = [];
  sorted.forEach((p) => {
    const parent = p.parent_id !== null && p.parent_id !== p.id ? byId.get(p.parent_id) : undefined;
    if (!parent) {
      roots.push(p);
    } else {
      if (!children.has(parent.id)) children.set(parent.id, []);
      children.get(parent.id).push(p);
    }
  });

  // Iterative, so a very long chain of replies cannot exhaust the call stack.
  const out = [];
  const seen = new Set();
  const stack = roots.reverse().map((p) => [p, 0]);
  while (stack.length) {
    const [post, depth] = stack.pop();
    if (seen.has(post.id)) continue;
    seen.add(post.id);
    out.push({ post, depth: Math.min(depth, maxDepth), parent: byId.get(post.parent_id) || null });
    const kids = children.get(post.id) || [];
    for (let i = kids.length - 1; i >= 0; i -= 1) stack.push([kids[i], depth + 1]);
  }
  return out;
}

// Element builders. Text always goes in as text nodes, so user data can never become markup;
// the single exception (setSanitisedHtml) is reserved for server-sanitised post bodies.

function appendOne(el, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    child.forEach((c) => appendOne(el, c));
  } else if (child instanceof Node) {
    el.append(child);
  } else {
    el.append(document.createTextNode(String(child)));
  }
}

// h('a', { href: '#/', class: 'x', on: { click: fn } }, 'text', otherNode)
// Attributes: false/null/undefined are left out, true becomes an empty attribute.
// `value` is assigned as a property after the children exist, so a <select> can pick an option.
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  appendOne(el, children);
  for (const [key, val] of Object.entries(props)) {
    if (val === false || val === null || val === undefined) continue;
    if (key === 'class') el.className = Array.isArray(val) ? val.filter(Boolean).join(' ') : val;
    else if (key === 'on') Object.entries(val).forEach(([ev, fn]) => el.addEventListener(ev, fn));
    else if (key === 'dataset') Object.assign(el.dataset, val);
    else if (key === 'value') el.value = val;
    else el.setAttribute(key, val === true ? '' : String(val));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

// Like Element.append, but skips null/false so optional parts can be written inline.
export function append(el, ...children) {
  appendOne(el, children);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

// Only for `body_html` from the API: the server renders Markdown in safe mode, drops raw HTML and
// neutralises dangerous URLs, and the page CSP forbids inline script as a second line of defence.
export function setSanitisedHtml(el, html) {
  el.innerHTML = html;
  return el;
}

// A translated sentence with elements in it: withNodes(text, { date: timeNode }) splits the
// text at its {date} placeholder (t() leaves placeholders it was not given) and puts the node there,
// so translators see whole sentences and may move the placeholder where their language needs it.
export function withNodes(text, nodes) {
  const out = [];
  let last = 0;
  const re = /\{(\w+)\}/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    if (!Object.hasOwn(nodes, m[1])) continue;
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(nodes[m[1]]);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
